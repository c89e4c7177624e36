package io.etcdj.raft;

/** The outcome of counting votes (or acknowledgements) against a majority. */
enum VoteResult {
  /** Not decided yet: enough members have not answered to still win. */
  PENDING,
  /** Too many rejections: a majority can no longer be reached. */
  LOST,
  /** A majority granted. */
  WON
}
