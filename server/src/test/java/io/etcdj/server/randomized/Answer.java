package io.etcdj.server.randomized;

import com.google.protobuf.Message;
import io.grpc.Status;

/** What a unary call got: an answer, or the gRPC status it failed with. */
record Answer(Message response, Status error) {
    static Answer of(Message response) {
        return new Answer(response, null);
    }

    static Answer failed(Status error) {
        return new Answer(null, error);
    }

    boolean ok() {
        return error == null;
    }

    /** The answer as compared: masked text, in the reference's lease IDs; or the status code and description. */
    String text(LeaseIds ids) {
        return ok() ? Masked.text(ids.toReference(response))
                : "error " + error.getCode() + ": " + error.getDescription() + "\n";
    }
}
