// Command s3m-goserver is an S3M-like SlurmIndirect server (v0.0.43 and v0.0.44) built from our
// protos with protoc-gen-go and protoc-gen-go-grpc. The Python client's interop tests call it.
//
// It checks the metadata as S3M does (authorization, olcf-resource), answers every method with
// a canned reply read from a contract-JSON file, and echoes each decoded request back in the
// "interop-request-json" trailer so the caller can check Go read exactly what Python sent.
//
//	S3M_INTEROP_TOKEN=T S3M_INTEROP_READONLY_TOKEN=R s3m-goserver -addr 127.0.0.1:0 -canned DIR
//
// Tokens come from the environment so they never show in a process listing.
// It prints "LISTENING host:port" once it serves, and stops on SIGTERM/SIGINT; with
// -exit-on-stdin-eof also when its stdin closes (tests keep a pipe open, so a test run that
// dies leaves no server behind).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"google.golang.org/grpc"

	v0042pb "github.com/olcf/s3m-apis/slurm/v0042"
	v0043pb "github.com/olcf/s3m-apis/slurm/v0043"
	v0044pb "github.com/olcf/s3m-apis/slurm/v0044"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	cannedDir := flag.String("canned", "", "directory holding v0.0.42.json, v0.0.43.json and v0.0.44.json")
	stdinEOF := flag.Bool("exit-on-stdin-eof", false, "also stop when stdin closes")
	flag.Parse()
	token := os.Getenv("S3M_INTEROP_TOKEN")
	if *cannedDir == "" || token == "" {
		fmt.Fprintln(os.Stderr, "s3m-goserver: -canned and $S3M_INTEROP_TOKEN are required")
		os.Exit(2)
	}
	s := &server{
		token:         token,
		readonlyToken: os.Getenv("S3M_INTEROP_READONLY_TOKEN"),
		resources:     defaultResources,
		canned:        map[string]map[string]json.RawMessage{},
	}
	for _, version := range []string{"v0.0.42", "v0.0.43", "v0.0.44"} {
		replies, err := loadCanned(filepath.Join(*cannedDir, version+".json"))
		if err != nil {
			fmt.Fprintln(os.Stderr, "s3m-goserver:", err)
			os.Exit(1)
		}
		s.canned[version] = replies
	}
	if err := s.checkCanned(); err != nil {
		fmt.Fprintln(os.Stderr, "s3m-goserver: canned replies do not fit the protos:", err)
		os.Exit(1)
	}
	lis, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "s3m-goserver:", err)
		os.Exit(1)
	}
	g := grpc.NewServer()
	v0042pb.RegisterSlurmIndirectServer(g, v0042Server{s: s})
	v0043pb.RegisterSlurmIndirectServer(g, v0043Server{s: s})
	v0044pb.RegisterSlurmIndirectServer(g, v0044Server{s: s})
	go stopOnSignalOrEOF(g, *stdinEOF)
	fmt.Printf("LISTENING %s\n", lis.Addr())
	if err := g.Serve(lis); err != nil {
		fmt.Fprintln(os.Stderr, "s3m-goserver:", err)
		os.Exit(1)
	}
}

// stopOnSignalOrEOF stops the server on SIGTERM/SIGINT, or (watchStdin) when stdin closes.
func stopOnSignalOrEOF(g *grpc.Server, watchStdin bool) {
	done := make(chan struct{}, 2)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	go func() { <-sig; done <- struct{}{} }()
	if watchStdin {
		go func() { _, _ = io.Copy(io.Discard, os.Stdin); done <- struct{}{} }()
	}
	<-done
	g.Stop()
}

func loadCanned(path string) (map[string]json.RawMessage, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var replies map[string]json.RawMessage
	if err := json.Unmarshal(data, &replies); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return replies, nil
}
