package main

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"

	pb "github.com/olcf/s3m-apis/slurm/v0042"
)

const version0042 = "v0.0.42"

// v0042Server serves olcf.s3m.slurm.v0042.SlurmIndirect.
type v0042Server struct {
	pb.UnimplementedSlurmIndirectServer
	s *server
}

func newV0042Reply(method string) proto.Message {
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

func (x v0042Server) Ping(ctx context.Context, in *emptypb.Empty) (*pb.PingResp, error) {
	return call(ctx, x.s, version0042, "Ping", in, false, nil, &pb.PingResp{})
}

func (x v0042Server) GetDiag(ctx context.Context, in *emptypb.Empty) (*pb.DiagResp, error) {
	return call(ctx, x.s, version0042, "GetDiag", in, false, nil, &pb.DiagResp{})
}

func (x v0042Server) GetJob(ctx context.Context, in *pb.JobIdReq) (*pb.JobIdResp, error) {
	return call(ctx, x.s, version0042, "GetJob", in, false, knownJob(ctx, in.GetJobId()), &pb.JobIdResp{})
}

func (x v0042Server) GetJobs(ctx context.Context, in *emptypb.Empty) (*pb.JobsResp, error) {
	return call(ctx, x.s, version0042, "GetJobs", in, false, nil, &pb.JobsResp{})
}

func (x v0042Server) PostJobSubmit(ctx context.Context, in *pb.JobSubmitReq) (*pb.JobSubmitResp, error) {
	return call(ctx, x.s, version0042, "PostJobSubmit", in, true, func() error { return checkSubmitV0042(in) }, &pb.JobSubmitResp{})
}

func (x v0042Server) DeleteJob(ctx context.Context, in *pb.DeleteJobReq) (*pb.DeleteJobResp, error) {
	return call(ctx, x.s, version0042, "DeleteJob", in, true, knownJob(ctx, in.GetJobId()), &pb.DeleteJobResp{})
}

func (x v0042Server) GetNodes(ctx context.Context, in *emptypb.Empty) (*pb.NodesResp, error) {
	return call(ctx, x.s, version0042, "GetNodes", in, false, nil, &pb.NodesResp{})
}

func (x v0042Server) GetPartitions(ctx context.Context, in *emptypb.Empty) (*pb.PartitionsResp, error) {
	return call(ctx, x.s, version0042, "GetPartitions", in, false, nil, &pb.PartitionsResp{})
}

func (x v0042Server) GetReservations(ctx context.Context, in *emptypb.Empty) (*pb.ReservationsResp, error) {
	return call(ctx, x.s, version0042, "GetReservations", in, false, nil, &pb.ReservationsResp{})
}

// checkSubmitV0042: v0.0.42 takes one job, which must carry its script.
func checkSubmitV0042(in *pb.JobSubmitReq) error {
	if in.GetJob() == nil {
		return status.Error(codes.InvalidArgument, "job is required")
	}
	if in.GetJob().GetScript() == "" {
		return status.Error(codes.InvalidArgument, "job.script is required")
	}
	return nil
}
