package io.etcdj.raftsim;

/**
 * How much of raft a run exercised, so a green run can be told apart from a run where nothing
 * happened: leaders elected, entries committed, membership changes applied, snapshots installed
 * on followers, ReadIndex reads answered, crashes. Summed over seeds by the runner.
 */
public final class Coverage {
    long leaders;
    long committed;
    long confChanges;
    long snapshotsInstalled;
    long readsAnswered;
    long crashes;

    void add(Coverage other) {
        leaders += other.leaders;
        committed += other.committed;
        confChanges += other.confChanges;
        snapshotsInstalled += other.snapshotsInstalled;
        readsAnswered += other.readsAnswered;
        crashes += other.crashes;
    }

    public long leaders() {
        return leaders;
    }

    public long committed() {
        return committed;
    }

    public long confChanges() {
        return confChanges;
    }

    public long snapshotsInstalled() {
        return snapshotsInstalled;
    }

    public long readsAnswered() {
        return readsAnswered;
    }

    @Override
    public String toString() {
        return leaders + " leaders elected, " + committed + " entries committed, " + confChanges
                + " membership changes, " + snapshotsInstalled + " snapshots installed, " + readsAnswered
                + " reads answered, " + crashes + " crashes";
    }
}
