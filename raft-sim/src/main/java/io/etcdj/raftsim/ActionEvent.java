package io.etcdj.raftsim;

/** An event that decides what to do when it runs (a client request, a fault); the trace shows what it did. */
abstract class ActionEvent extends Event {
    private final String name;
    private String outcome = "";

    ActionEvent(String name) {
        this.name = name;
    }

    /** Does the action; returns what was done, for the trace. */
    abstract String act();

    @Override
    final void run() {
        outcome = act();
    }

    @Override
    String describe() {
        return name + " " + outcome;
    }
}
