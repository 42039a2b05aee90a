package main

import (
	"fmt"

	"google.golang.org/protobuf/proto"
)

// capture is the proto codec of one call that also keeps the bytes it sent and received, so
// the caller can decode them on its own side and compare with what this client decoded.
type capture struct {
	request, reply []byte
}

func (c *capture) Marshal(v interface{}) ([]byte, error) {
	m, ok := v.(proto.Message)
	if !ok {
		return nil, fmt.Errorf("capture codec: %T is not a proto message", v)
	}
	data, err := proto.Marshal(m)
	c.request = data
	return data, err
}

func (c *capture) Unmarshal(data []byte, v interface{}) error {
	m, ok := v.(proto.Message)
	if !ok {
		return fmt.Errorf("capture codec: %T is not a proto message", v)
	}
	c.reply = append([]byte(nil), data...)
	return proto.Unmarshal(data, m)
}

func (c *capture) Name() string { return "proto" }
