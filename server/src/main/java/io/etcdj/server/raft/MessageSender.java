package io.etcdj.server.raft;

import io.etcdj.raft.pb.Message;
import java.util.List;

/** Hands raft messages to the peer transport. Never blocks: delivery is asynchronous and lossy. */
@FunctionalInterface
public interface MessageSender {
    void send(List<Message> messages);
}
