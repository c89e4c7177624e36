package io.etcdj.raft;

/** Volatile state that need not be persisted: who leads (0 = unknown) and our role. */
public record SoftState(long lead, StateRole role) {}
