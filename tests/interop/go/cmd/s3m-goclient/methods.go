package main

import (
	"context"
	"encoding/json"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"

	v0042pb "github.com/olcf/s3m-apis/slurm/v0042"
	v0043pb "github.com/olcf/s3m-apis/slurm/v0043"
	v0044pb "github.com/olcf/s3m-apis/slurm/v0044"
)

// method decodes a protojson request and calls one generated client method.
type method func(ctx context.Context, request json.RawMessage, opts ...grpc.CallOption) (proto.Message, error)

// unary adapts a generated client method to `method`.
func unary[Req proto.Message, Resp proto.Message](
	f func(context.Context, Req, ...grpc.CallOption) (Resp, error), newReq func() Req,
) method {
	return func(ctx context.Context, request json.RawMessage, opts ...grpc.CallOption) (proto.Message, error) {
		req := newReq()
		if err := protojson.Unmarshal(request, req); err != nil {
			return nil, requestError{err}
		}
		return f(ctx, req, opts...)
	}
}

// requestError: the request JSON does not fit this build's messages (nothing was sent).
type requestError struct{ err error }

func (e requestError) Error() string { return "request JSON: " + e.err.Error() }

func empty() *emptypb.Empty { return &emptypb.Empty{} }

func v0042Methods(conn grpc.ClientConnInterface) map[string]method {
	c := v0042pb.NewSlurmIndirectClient(conn)
	return map[string]method{
		"Ping":            unary(c.Ping, empty),
		"GetDiag":         unary(c.GetDiag, empty),
		"GetJob":          unary(c.GetJob, func() *v0042pb.JobIdReq { return &v0042pb.JobIdReq{} }),
		"GetJobs":         unary(c.GetJobs, empty),
		"PostJobSubmit":   unary(c.PostJobSubmit, func() *v0042pb.JobSubmitReq { return &v0042pb.JobSubmitReq{} }),
		"DeleteJob":       unary(c.DeleteJob, func() *v0042pb.DeleteJobReq { return &v0042pb.DeleteJobReq{} }),
		"GetNodes":        unary(c.GetNodes, empty),
		"GetPartitions":   unary(c.GetPartitions, empty),
		"GetReservations": unary(c.GetReservations, empty),
	}
}

func v0043Methods(conn grpc.ClientConnInterface) map[string]method {
	c := v0043pb.NewSlurmIndirectClient(conn)
	return map[string]method{
		"Ping":            unary(c.Ping, empty),
		"GetDiag":         unary(c.GetDiag, empty),
		"GetJob":          unary(c.GetJob, func() *v0043pb.JobIdReq { return &v0043pb.JobIdReq{} }),
		"GetJobs":         unary(c.GetJobs, empty),
		"PostJobSubmit":   unary(c.PostJobSubmit, func() *v0043pb.JobSubmitReq { return &v0043pb.JobSubmitReq{} }),
		"DeleteJob":       unary(c.DeleteJob, func() *v0043pb.DeleteJobReq { return &v0043pb.DeleteJobReq{} }),
		"GetNodes":        unary(c.GetNodes, empty),
		"GetPartitions":   unary(c.GetPartitions, empty),
		"GetReservations": unary(c.GetReservations, empty),
	}
}

func v0044Methods(conn grpc.ClientConnInterface) map[string]method {
	c := v0044pb.NewSlurmIndirectClient(conn)
	return map[string]method{
		"Ping":            unary(c.Ping, empty),
		"GetDiag":         unary(c.GetDiag, empty),
		"GetJob":          unary(c.GetJob, func() *v0044pb.JobIdReq { return &v0044pb.JobIdReq{} }),
		"GetJobs":         unary(c.GetJobs, empty),
		"PostJobSubmit":   unary(c.PostJobSubmit, func() *v0044pb.JobSubmitReq { return &v0044pb.JobSubmitReq{} }),
		"DeleteJob":       unary(c.DeleteJob, func() *v0044pb.DeleteJobReq { return &v0044pb.DeleteJobReq{} }),
		"GetNodes":        unary(c.GetNodes, empty),
		"GetPartitions":   unary(c.GetPartitions, empty),
		"GetReservations": unary(c.GetReservations, empty),
	}
}
