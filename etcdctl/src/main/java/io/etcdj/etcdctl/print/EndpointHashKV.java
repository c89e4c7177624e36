package io.etcdj.etcdctl.print;

import io.etcdj.api.etcdserverpb.HashKVResponse;

/** One endpoint's KV hash (etcdctl's epHashKV). */
public record EndpointHashKV(String endpoint, HashKVResponse hash) {}
