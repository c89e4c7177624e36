package io.etcdj.raftsim;

/**
 * Deliberate breaches of the application's side of the raft contract, used only by tests to show
 * that the simulation's checks catch what such breaches cause. {@link #NONE} in every real run.
 */
public enum Sabotage {
    NONE,
    /** Sends messagesAfterPersist (votes, append acks) before the Ready is durable. */
    ACK_BEFORE_PERSIST,
    /** On restart, the disk returns other bytes for the last committed entry (silent corruption). */
    CORRUPT_ENTRY_ON_RESTART
}
