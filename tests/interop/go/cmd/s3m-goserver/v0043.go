package main

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"

	pb "github.com/olcf/s3m-apis/slurm/v0043"
)

const version0043 = "v0.0.43"

// v0043Server serves olcf.s3m.slurm.v0043.SlurmIndirect.
type v0043Server struct {
	pb.UnimplementedSlurmIndirectServer
	s *server
}

func newV0043Reply(method string) proto.Message {
	switch method {
	case "Ping":
		return &pb.PingResp{}
	case "GetDiag":
		return &pb.DiagResp{}
	case "GetJob":
		return &pb.JobIdResp{}
	case "GetJobs":
		return &pb.JobsResp{}
	case "PostJobSubmit":
		return &pb.JobSubmitResp{}
	case "DeleteJob":
		return &pb.DeleteJobResp{}
	case "GetNodes":
		return &pb.NodesResp{}
	case "GetPartitions":
		return &pb.PartitionsResp{}
	case "GetReservations":
		return &pb.ReservationsResp{}
	}
	panic("unknown method " + method)
}

func (x v0043Server) Ping(ctx context.Context, in *emptypb.Empty) (*pb.PingResp, error) {
	return call(ctx, x.s, version0043, "Ping", in, false, nil, &pb.PingResp{})
}

func (x v0043Server) GetDiag(ctx context.Context, in *emptypb.Empty) (*pb.DiagResp, error) {
	return call(ctx, x.s, version0043, "GetDiag", in, false, nil, &pb.DiagResp{})
}

func (x v0043Server) GetJob(ctx context.Context, in *pb.JobIdReq) (*pb.JobIdResp, error) {
	return call(ctx, x.s, version0043, "GetJob", in, false, knownJob(ctx, in.GetJobId()), &pb.JobIdResp{})
}

func (x v0043Server) GetJobs(ctx context.Context, in *emptypb.Empty) (*pb.JobsResp, error) {
	return call(ctx, x.s, version0043, "GetJobs", in, false, nil, &pb.JobsResp{})
}

func (x v0043Server) PostJobSubmit(ctx context.Context, in *pb.JobSubmitReq) (*pb.JobSubmitResp, error) {
	return call(ctx, x.s, version0043, "PostJobSubmit", in, true, func() error { return checkSubmitV0043(in) }, &pb.JobSubmitResp{})
}

func (x v0043Server) DeleteJob(ctx context.Context, in *pb.DeleteJobReq) (*pb.DeleteJobResp, error) {
	return call(ctx, x.s, version0043, "DeleteJob", in, true, knownJob(ctx, in.GetJobId()), &pb.DeleteJobResp{})
}

func (x v0043Server) GetNodes(ctx context.Context, in *emptypb.Empty) (*pb.NodesResp, error) {
	return call(ctx, x.s, version0043, "GetNodes", in, false, nil, &pb.NodesResp{})
}

func (x v0043Server) GetPartitions(ctx context.Context, in *emptypb.Empty) (*pb.PartitionsResp, error) {
	return call(ctx, x.s, version0043, "GetPartitions", in, false, nil, &pb.PartitionsResp{})
}

func (x v0043Server) GetReservations(ctx context.Context, in *emptypb.Empty) (*pb.ReservationsResp, error) {
	return call(ctx, x.s, version0043, "GetReservations", in, false, nil, &pb.ReservationsResp{})
}

// checkSubmitV0043: v0.0.43 takes one job, which must carry its script.
func checkSubmitV0043(in *pb.JobSubmitReq) error {
	if in.GetJob() == nil {
		return status.Error(codes.InvalidArgument, "job is required")
	}
	if in.GetJob().GetScript() == "" {
		return status.Error(codes.InvalidArgument, "job.script is required")
	}
	return nil
}
