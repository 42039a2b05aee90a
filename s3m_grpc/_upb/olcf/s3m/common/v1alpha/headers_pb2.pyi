from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor
METHOD_HEADER_PARAM_FIELD_NUMBER: _ClassVar[int]
method_header_param: _descriptor.FieldDescriptor
SERVICE_HEADER_PARAM_FIELD_NUMBER: _ClassVar[int]
service_header_param: _descriptor.FieldDescriptor

class HeaderParam(_message.Message):
    __slots__ = ("header", "param_name", "required")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    PARAM_NAME_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    header: str
    param_name: str
    required: bool
    def __init__(self, header: _Optional[str] = ..., param_name: _Optional[str] = ..., required: _Optional[bool] = ...) -> None: ...
