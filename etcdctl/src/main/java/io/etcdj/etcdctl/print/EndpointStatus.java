package io.etcdj.etcdctl.print;

import io.etcdj.api.etcdserverpb.StatusResponse;

/** One endpoint's status (etcdctl's epStatus). */
public record EndpointStatus(String endpoint, StatusResponse status) {}
