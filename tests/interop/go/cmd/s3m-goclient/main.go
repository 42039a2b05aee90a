// Command s3m-goclient calls a SlurmIndirect server through the protoc-gen-go-grpc clients
// generated from our protos. The Go-client interop tests drive it.
//
//	s3m-goclient -target 127.0.0.1:PORT < calls.jsonl > results.jsonl
//
// Each input line is one call:
//
//	{"version": "v0.0.43", "method": "GetJob", "metadata": [["authorization", "..."]],
//	 "request": {"job_id": "12345"}}
//
// with the request in protojson (the contract's JSON names). Each output line is its result:
// {"code": 0, "message": "", "reply": {...}, "header": {...}, "trailer": {"key": ["value"]},
// "errors": [...], "request_bytes": "...", "reply_bytes": "..."} where code is the numeric gRPC
// status code, reply is protojson, errors are the ErrorResp entries of the s3m-errors-bin
// trailer, and the *_bytes are the messages exactly as sent and received (base64). A request that does not fit this build's
// messages is not sent; its line carries "client_error" instead.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	v0043pb "github.com/olcf/s3m-apis/slurm/v0043"
)

type callLine struct {
	Version  string          `json:"version"`
	Method   string          `json:"method"`
	Metadata [][2]string     `json:"metadata"`
	Request  json.RawMessage `json:"request"`
}

type resultLine struct {
	Code        uint32              `json:"code"`
	Message     string              `json:"message"`
	Reply       json.RawMessage     `json:"reply,omitempty"`
	Header      map[string][]string `json:"header"`
	Trailer     map[string][]string `json:"trailer"`
	Errors      []json.RawMessage   `json:"errors"`
	ClientError string              `json:"client_error,omitempty"`
	// []byte fields encode as base64.
	RequestBytes []byte `json:"request_bytes"`
	ReplyBytes   []byte `json:"reply_bytes"`
}

func main() {
	target := flag.String("target", "", "server address host:port (plaintext)")
	timeout := flag.Duration("timeout", 10*time.Second, "deadline of each call")
	flag.Parse()
	if *target == "" {
		fmt.Fprintln(os.Stderr, "s3m-goclient: -target is required")
		os.Exit(2)
	}
	conn, err := grpc.Dial(*target, grpc.WithInsecure())
	if err != nil {
		fmt.Fprintln(os.Stderr, "s3m-goclient:", err)
		os.Exit(1)
	}
	defer conn.Close()
	tables := map[string]map[string]method{
		"v0.0.42": v0042Methods(conn),
		"v0.0.43": v0043Methods(conn),
		"v0.0.44": v0044Methods(conn),
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var c callLine
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			fail("bad input line: %v", err)
		}
		m, ok := tables[c.Version][c.Method]
		if !ok {
			fail("unknown version/method %s %s", c.Version, c.Method)
		}
		if len(c.Request) == 0 {
			c.Request = json.RawMessage("{}")
		}
		if err := out.Encode(run(c, m, *timeout)); err != nil {
			fail("writing result: %v", err)
		}
	}
	if err := in.Err(); err != nil {
		fail("reading input: %v", err)
	}
}

func run(c callLine, m method, timeout time.Duration) resultLine {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	md := metadata.MD{}
	for _, kv := range c.Metadata {
		md.Append(kv[0], kv[1])
	}
	ctx = metadata.NewOutgoingContext(ctx, md)
	var header, trailer metadata.MD
	wire := &capture{}
	reply, err := m(ctx, c.Request, grpc.Header(&header), grpc.Trailer(&trailer), grpc.ForceCodec(wire))
	if rerr, ok := err.(requestError); ok {
		return resultLine{Code: uint32(codes.Unknown), ClientError: rerr.Error(), Errors: []json.RawMessage{}}
	}
	st := status.Convert(err)
	res := resultLine{
		Code:    uint32(st.Code()),
		Message: st.Message(),
		Header:  textMetadata(header),
		Trailer: textMetadata(trailer),
		Errors:  []json.RawMessage{},

		RequestBytes: wire.request,
		ReplyBytes:   wire.reply,
	}
	if err == nil {
		js, merr := protojson.Marshal(reply)
		if merr != nil {
			fail("encoding reply: %v", merr)
		}
		res.Reply = js
	}
	for _, raw := range trailer.Get("s3m-errors-bin") {
		entry := &v0043pb.ErrorResp{} // the same wire in every version
		if perr := proto.Unmarshal([]byte(raw), entry); perr != nil {
			fail("decoding an s3m-errors-bin entry: %v", perr)
		}
		js, merr := protojson.Marshal(entry)
		if merr != nil {
			fail("encoding an error entry: %v", merr)
		}
		res.Errors = append(res.Errors, js)
	}
	return res
}

// textMetadata keeps the text keys (binary -bin values are decoded separately).
func textMetadata(md metadata.MD) map[string][]string {
	out := map[string][]string{}
	keys := make([]string, 0, len(md))
	for k := range md {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !strings.HasSuffix(k, "-bin") {
			out[k] = md[k]
		}
	}
	return out
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "s3m-goclient: "+format+"\n", args...)
	os.Exit(1)
}
