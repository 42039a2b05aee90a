package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	v0043pb "github.com/olcf/s3m-apis/slurm/v0043"
)

// Metadata keys S3M reads, and the trailers this server adds.
const (
	mdAuthorization = "authorization"
	mdResource      = "olcf-resource"
	mdWithStorage   = "x-s3m-withstorage"
	// SLURM's errors[] on a failed call: one encoded ErrorResp per value (s3m_grpc.errors).
	trailerErrors = "s3m-errors-bin"
	// The decoded request as protojson (contract JSON names), for the caller to compare.
	trailerRequest = "interop-request-json"
	// The x-s3m-withstorage value the server received, echoed back.
	trailerWithStorage = "interop-withstorage"
)

// The job the canned replies describe; GetJob and DeleteJob answer NOT_FOUND for any other.
const cannedJobID = "12345"

// defaultResources is S3M's public resource → versions table (the Compute API page).
var defaultResources = map[string][]string{
	"defiant": {"v0.0.42", "v0.0.43"},
	"odo":     {"v0.0.43", "v0.0.44"},
	"wombat":  {"v0.0.42"},
	"quokka":  {"v0.0.42"},
}

// methods lists the nine SlurmIndirect methods every canned file must answer.
var methods = []string{
	"Ping", "GetDiag", "GetJob", "GetJobs", "PostJobSubmit", "DeleteJob",
	"GetNodes", "GetPartitions", "GetReservations",
}

type server struct {
	token, readonlyToken string
	resources            map[string][]string
	canned               map[string]map[string]json.RawMessage // version → method → reply JSON
}

// checkCanned makes sure every canned reply exists and parses into this build's messages, so a
// proto/JSON mismatch stops the server at start instead of surfacing as an odd reply later.
func (s *server) checkCanned() error {
	for version, replies := range s.canned {
		for _, m := range methods {
			if _, ok := replies[m]; !ok {
				return fmt.Errorf("%s: no canned reply for %s", version, m)
			}
		}
	}
	for _, m := range methods {
		if err := protojson.Unmarshal(s.canned["v0.0.42"][m], newV0042Reply(m)); err != nil {
			return fmt.Errorf("v0.0.42 %s: %w", m, err)
		}
		if err := protojson.Unmarshal(s.canned["v0.0.43"][m], newV0043Reply(m)); err != nil {
			return fmt.Errorf("v0.0.43 %s: %w", m, err)
		}
		if err := protojson.Unmarshal(s.canned["v0.0.44"][m], newV0044Reply(m)); err != nil {
			return fmt.Errorf("v0.0.44 %s: %w", m, err)
		}
	}
	return nil
}

// gate applies S3M's metadata rules: a known token (UNAUTHENTICATED otherwise), an
// olcf-resource naming a resource (INVALID_ARGUMENT when missing, NOT_FOUND when unknown) that
// serves this version (UNIMPLEMENTED otherwise), and write permission for submit and cancel.
func (s *server) gate(ctx context.Context, version string, write bool) error {
	md, _ := metadata.FromIncomingContext(ctx)
	token := first(md, mdAuthorization)
	switch {
	case token == "":
		return status.Error(codes.Unauthenticated, "missing authorization metadata")
	case token == s.token:
	case s.readonlyToken != "" && token == s.readonlyToken:
		if write {
			return status.Error(codes.PermissionDenied, "the token is read-only (compute-ace-readonly)")
		}
	default:
		return status.Error(codes.Unauthenticated, "unknown or expired token")
	}
	resource := first(md, mdResource)
	if resource == "" {
		return status.Error(codes.InvalidArgument, "missing olcf-resource metadata")
	}
	served, ok := s.resources[resource]
	if !ok {
		return status.Errorf(codes.NotFound, "unknown resource %q; known resources: %v", resource, s.resourceNames())
	}
	for _, v := range served {
		if v == version {
			return nil
		}
	}
	return status.Errorf(codes.Unimplemented, "resource %q does not serve %s; it serves %v", resource, version, served)
}

func (s *server) resourceNames() []string {
	names := make([]string, 0, len(s.resources))
	for n := range s.resources {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// call runs one method: gate, method-specific check, echo of the request, canned reply.
func call[Resp proto.Message](
	ctx context.Context, s *server, version, method string, req proto.Message, write bool,
	check func() error, reply Resp,
) (Resp, error) {
	var zero Resp
	if err := s.gate(ctx, version, write); err != nil {
		return zero, err
	}
	if check != nil {
		if err := check(); err != nil {
			return zero, err
		}
	}
	echo, err := protojson.Marshal(req)
	if err != nil {
		return zero, status.Errorf(codes.Internal, "encoding the request echo: %v", err)
	}
	md, _ := metadata.FromIncomingContext(ctx)
	trailer := metadata.Pairs(trailerRequest, string(echo))
	if ws := first(md, mdWithStorage); ws != "" {
		trailer.Append(trailerWithStorage, ws)
	}
	if err := grpc.SetTrailer(ctx, trailer); err != nil {
		return zero, status.Errorf(codes.Internal, "setting trailers: %v", err)
	}
	if err := protojson.Unmarshal(s.canned[version][method], reply); err != nil {
		return zero, status.Errorf(codes.Internal, "canned %s reply: %v", method, err)
	}
	return reply, nil
}

// knownJob answers NOT_FOUND, with SLURM's error entry in the errors trailer, for any job but
// the canned one.
func knownJob(ctx context.Context, jobID string) func() error {
	return func() error {
		if jobID == cannedJobID {
			return nil
		}
		entry, err := proto.Marshal(&v0043pb.ErrorResp{ // ErrorResp is the same wire in every version
			ErrorNumber: 2017,
			Error:       "Invalid job id specified",
			Source:      "_handle_job_get",
			Description: fmt.Sprintf("job %s not found", jobID),
		})
		if err != nil {
			return status.Errorf(codes.Internal, "encoding the error entry: %v", err)
		}
		_ = grpc.SetTrailer(ctx, metadata.Pairs(trailerErrors, string(entry)))
		return status.Errorf(codes.NotFound, "job %s not found", jobID)
	}
}

func first(md metadata.MD, key string) string {
	if v := md.Get(key); len(v) > 0 {
		return v[0]
	}
	return ""
}
