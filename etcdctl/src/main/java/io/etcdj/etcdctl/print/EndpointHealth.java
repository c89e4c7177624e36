package io.etcdj.etcdctl.print;

/** One endpoint's health check result; error is "" when healthy (etcdctl's epHealth). */
public record EndpointHealth(String endpoint, boolean health, String took, String error) {}
