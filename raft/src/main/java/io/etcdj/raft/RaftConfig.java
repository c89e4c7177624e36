package io.etcdj.raft;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Typed, validated configuration of one raft member. Build with {@link #builder()}.
 *
 * <p>Invariants checked by {@link Builder#build()}: {@code id != 0}, a storage and a random
 * source are given, {@code electionTick > heartbeatTick > 0}, {@code maxInflightMsgs > 0},
 * sizes are non-negative, and {@link ReadOnlyOption#LEASE_BASED} is only used with check-quorum.
 */
public final class RaftConfig {
  /** Unlimited, for size limits. */
  public static final long NO_LIMIT = Long.MAX_VALUE;

  private final long id;
  private final RaftStorage storage;
  private final int electionTick;
  private final int heartbeatTick;
  private final long applied;
  private final long maxSizePerMsg;
  private final long maxCommittedSizePerReady;
  private final long maxUncommittedEntriesSize;
  private final int maxInflightMsgs;
  private final boolean checkQuorum;
  private final boolean preVote;
  private final ReadOnlyOption readOnlyOption;
  private final boolean disableProposalForwarding;
  private final RandomGenerator random;

  private RaftConfig(Builder b) {
    this.id = b.id;
    this.storage = b.storage;
    this.electionTick = b.electionTick;
    this.heartbeatTick = b.heartbeatTick;
    this.applied = b.applied;
    this.maxSizePerMsg = b.maxSizePerMsg;
    this.maxCommittedSizePerReady =
        b.maxCommittedSizePerReady == null ? b.maxSizePerMsg : b.maxCommittedSizePerReady;
    this.maxUncommittedEntriesSize =
        b.maxUncommittedEntriesSize == 0 ? NO_LIMIT : b.maxUncommittedEntriesSize;
    this.maxInflightMsgs = b.maxInflightMsgs;
    this.checkQuorum = b.checkQuorum;
    this.preVote = b.preVote;
    this.readOnlyOption = b.readOnlyOption;
    this.disableProposalForwarding = b.disableProposalForwarding;
    this.random = b.random;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with this configuration, e.g. to restart a member with another storage. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.storage = storage;
    b.electionTick = electionTick;
    b.heartbeatTick = heartbeatTick;
    b.applied = applied;
    b.maxSizePerMsg = maxSizePerMsg;
    b.maxCommittedSizePerReady = maxCommittedSizePerReady;
    b.maxUncommittedEntriesSize = maxUncommittedEntriesSize == NO_LIMIT ? 0 : maxUncommittedEntriesSize;
    b.maxInflightMsgs = maxInflightMsgs;
    b.checkQuorum = checkQuorum;
    b.preVote = preVote;
    b.readOnlyOption = readOnlyOption;
    b.disableProposalForwarding = disableProposalForwarding;
    b.random = random;
    return b;
  }

  public long id() { return id; }
  public RaftStorage storage() { return storage; }
  public int electionTick() { return electionTick; }
  public int heartbeatTick() { return heartbeatTick; }
  public long applied() { return applied; }
  public long maxSizePerMsg() { return maxSizePerMsg; }
  public long maxCommittedSizePerReady() { return maxCommittedSizePerReady; }
  /** {@link #NO_LIMIT} when unlimited (configured as 0). */
  public long maxUncommittedEntriesSize() { return maxUncommittedEntriesSize; }
  public int maxInflightMsgs() { return maxInflightMsgs; }
  public boolean checkQuorum() { return checkQuorum; }
  public boolean preVote() { return preVote; }
  public ReadOnlyOption readOnlyOption() { return readOnlyOption; }
  public boolean disableProposalForwarding() { return disableProposalForwarding; }
  public RandomGenerator random() { return random; }

  /** Fluent builder; every setter returns this builder. */
  public static final class Builder {
    private long id;
    private RaftStorage storage;
    private int electionTick = 10;
    private int heartbeatTick = 1;
    private long applied;
    private long maxSizePerMsg = 1024 * 1024;
    private Long maxCommittedSizePerReady;
    private long maxUncommittedEntriesSize;
    private int maxInflightMsgs = 256;
    private boolean checkQuorum = true;
    private boolean preVote = true;
    private ReadOnlyOption readOnlyOption = ReadOnlyOption.SAFE;
    private boolean disableProposalForwarding;
    private RandomGenerator random;

    private Builder() {}

    public Builder id(long id) { this.id = id; return this; }
    public Builder storage(RaftStorage storage) { this.storage = storage; return this; }
    public Builder electionTick(int ticks) { this.electionTick = ticks; return this; }
    public Builder heartbeatTick(int ticks) { this.heartbeatTick = ticks; return this; }
    public Builder applied(long applied) { this.applied = applied; return this; }
    public Builder maxSizePerMsg(long bytes) { this.maxSizePerMsg = bytes; return this; }
    public Builder maxCommittedSizePerReady(long bytes) { this.maxCommittedSizePerReady = bytes; return this; }
    /** 0 means unlimited. */
    public Builder maxUncommittedEntriesSize(long bytes) { this.maxUncommittedEntriesSize = bytes; return this; }
    public Builder maxInflightMsgs(int count) { this.maxInflightMsgs = count; return this; }
    public Builder checkQuorum(boolean on) { this.checkQuorum = on; return this; }
    public Builder preVote(boolean on) { this.preVote = on; return this; }
    public Builder readOnlyOption(ReadOnlyOption option) { this.readOnlyOption = option; return this; }
    public Builder disableProposalForwarding(boolean on) { this.disableProposalForwarding = on; return this; }
    public Builder random(RandomGenerator random) { this.random = random; return this; }

    /** @throws IllegalArgumentException naming the first invalid setting */
    public RaftConfig build() {
      if (id == 0) {
        throw new IllegalArgumentException("cannot use none as id");
      }
      Objects.requireNonNull(storage, "storage cannot be nil");
      Objects.requireNonNull(random, "random must be injected");
      Objects.requireNonNull(readOnlyOption, "readOnlyOption");
      if (heartbeatTick <= 0) {
        throw new IllegalArgumentException("heartbeat tick must be greater than 0");
      }
      if (electionTick <= heartbeatTick) {
        throw new IllegalArgumentException("election tick must be greater than heartbeat tick");
      }
      if (maxInflightMsgs <= 0) {
        throw new IllegalArgumentException("max inflight messages must be greater than 0");
      }
      if (applied < 0 || maxSizePerMsg < 0 || maxUncommittedEntriesSize < 0
          || (maxCommittedSizePerReady != null && maxCommittedSizePerReady < 0)) {
        throw new IllegalArgumentException("sizes and indexes must not be negative");
      }
      if (readOnlyOption == ReadOnlyOption.LEASE_BASED && !checkQuorum) {
        throw new IllegalArgumentException(
            "CheckQuorum must be enabled when ReadOnlyOption is ReadOnlyLeaseBased");
      }
      return new RaftConfig(this);
    }
  }
}
