package main

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"

	pb "github.com/olcf/s3m-apis/slurm/v0044"
)

const version0044 = "v0.0.44"

// v0044Server serves olcf.s3m.slurm.v0044.SlurmIndirect.
type v0044Server struct {
	pb.UnimplementedSlurmIndirectServer
	s *server
}

func newV0044Reply(method string) proto.Message {
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

func (x v0044Server) Ping(ctx context.Context, in *emptypb.Empty) (*pb.PingResp, error) {
	return call(ctx, x.s, version0044, "Ping", in, false, nil, &pb.PingResp{})
}

func (x v0044Server) GetDiag(ctx context.Context, in *emptypb.Empty) (*pb.DiagResp, error) {
	return call(ctx, x.s, version0044, "GetDiag", in, false, nil, &pb.DiagResp{})
}

func (x v0044Server) GetJob(ctx context.Context, in *pb.JobIdReq) (*pb.JobIdResp, error) {
	return call(ctx, x.s, version0044, "GetJob", in, false, knownJob(ctx, in.GetJobId()), &pb.JobIdResp{})
}

func (x v0044Server) GetJobs(ctx context.Context, in *emptypb.Empty) (*pb.JobsResp, error) {
	return call(ctx, x.s, version0044, "GetJobs", in, false, nil, &pb.JobsResp{})
}

func (x v0044Server) PostJobSubmit(ctx context.Context, in *pb.JobSubmitReq) (*pb.JobSubmitResp, error) {
	return call(ctx, x.s, version0044, "PostJobSubmit", in, true, func() error { return checkSubmitV0044(in) }, &pb.JobSubmitResp{})
}

func (x v0044Server) DeleteJob(ctx context.Context, in *pb.DeleteJobReq) (*pb.DeleteJobResp, error) {
	return call(ctx, x.s, version0044, "DeleteJob", in, true, knownJob(ctx, in.GetJobId()), &pb.DeleteJobResp{})
}

func (x v0044Server) GetNodes(ctx context.Context, in *emptypb.Empty) (*pb.NodesResp, error) {
	return call(ctx, x.s, version0044, "GetNodes", in, false, nil, &pb.NodesResp{})
}

func (x v0044Server) GetPartitions(ctx context.Context, in *emptypb.Empty) (*pb.PartitionsResp, error) {
	return call(ctx, x.s, version0044, "GetPartitions", in, false, nil, &pb.PartitionsResp{})
}

func (x v0044Server) GetReservations(ctx context.Context, in *emptypb.Empty) (*pb.ReservationsResp, error) {
	return call(ctx, x.s, version0044, "GetReservations", in, false, nil, &pb.ReservationsResp{})
}

// checkSubmitV0044: v0.0.44 takes job or jobs (never both) and a script at the top or in job.
func checkSubmitV0044(in *pb.JobSubmitReq) error {
	switch {
	case in.GetJob() != nil && len(in.GetJobs()) > 0:
		return status.Error(codes.InvalidArgument, "send either job or jobs, not both")
	case in.GetJob() == nil && len(in.GetJobs()) == 0:
		return status.Error(codes.InvalidArgument, "job or jobs is required")
	case in.GetScript() == "" && in.GetJob().GetScript() == "":
		return status.Error(codes.InvalidArgument, "script is required")
	}
	return nil
}
