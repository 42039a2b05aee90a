// s3m-gateway: a grpc-gateway REST front, generated from our protos, in front of a gRPC server.
//
// It serves the protos' own google.api.http rules (/slurm/v0.0.4x/...) with the resource in the
// olcf-resource header, as grpc-gateway does for any service, and S3M's documented form
// /slurm/open/{version}/{resource}/... by moving the resource into that header first (the one
// thing grpc-gateway cannot express: the resource is not a field of any request). Replies and
// errors are grpc-gateway's defaults: protojson with unpopulated fields, 64-bit integers as
// strings, and google.rpc.Status error bodies.
//
//	s3m-gateway -backend 127.0.0.1:50051 -addr 127.0.0.1:0    # prints LISTENING host:port
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	v0042 "github.com/olcf/s3m-apis/slurm/v0042"
	v0043 "github.com/olcf/s3m-apis/slurm/v0043"
	v0044 "github.com/olcf/s3m-apis/slurm/v0044"
)

// forwarded: request headers passed on as gRPC metadata (Authorization always is).
func forwarded(key string) (string, bool) {
	switch k := strings.ToLower(key); k {
	case "olcf-resource", "x-s3m-withstorage":
		return k, true
	}
	return runtime.DefaultHeaderMatcher(key)
}

// openPath: S3M's /slurm/open/{version}/{resource}/{rest}.
var openPath = regexp.MustCompile(`^/slurm/open/(v[0-9]+\.[0-9]+\.[0-9]+)/([^/]+)/(.+)$`)

// s3mPaths rewrites S3M's documented paths to the protos' rules, the resource into its header.
func s3mPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if m := openPath.FindStringSubmatch(r.URL.Path); m != nil {
			r.Header.Set("olcf-resource", m[2])
			r.URL.Path = "/slurm/" + m[1] + "/" + m[3]
			r.URL.RawPath = ""
		}
		next.ServeHTTP(w, r)
	})
}

func main() {
	backend := flag.String("backend", "", "the gRPC server, host:port")
	addr := flag.String("addr", "127.0.0.1:0", "where to listen")
	flag.Parse()
	if *backend == "" {
		fmt.Fprintln(os.Stderr, "s3m-gateway: -backend is required")
		os.Exit(2)
	}
	ctx := context.Background()
	mux := runtime.NewServeMux(runtime.WithIncomingHeaderMatcher(forwarded))
	opts := []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	registers := []func(context.Context, *runtime.ServeMux, string, []grpc.DialOption) error{
		v0042.RegisterSlurmIndirectHandlerFromEndpoint,
		v0043.RegisterSlurmIndirectHandlerFromEndpoint,
		v0044.RegisterSlurmIndirectHandlerFromEndpoint,
	}
	for _, register := range registers {
		if err := register(ctx, mux, *backend, opts); err != nil {
			fmt.Fprintln(os.Stderr, "s3m-gateway:", err)
			os.Exit(1)
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "s3m-gateway:", err)
		os.Exit(1)
	}
	fmt.Printf("LISTENING %s\n", ln.Addr())
	if err := http.Serve(ln, s3mPaths(mux)); err != nil {
		fmt.Fprintln(os.Stderr, "s3m-gateway:", err)
		os.Exit(1)
	}
}
