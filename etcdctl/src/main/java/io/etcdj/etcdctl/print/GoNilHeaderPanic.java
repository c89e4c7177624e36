package io.etcdj.etcdctl.print;

/**
 * etcdctl 3.4's fields printer dereferences the response header unconditionally; the alarm
 * responses carry none when there are no alarms, and etcdctl crashes (Go panic, exit 2). We
 * reproduce that crash's text; the pointer values in it differ from run to run in Go as well.
 */
public final class GoNilHeaderPanic extends RuntimeException {
    private final String caller;

    public GoNilHeaderPanic(String caller) {
        super("nil header", null, false, false);
        this.caller = caller;
    }

    /** The text Go writes to stderr for this panic (exit status 2). */
    public String trace() {
        String frame = caller.equals("disarm")
                ? "go.etcd.io/etcd/etcdctl/ctlv3/command.alarmDisarmCommandFunc(0xc0001d3200?, {0xc000189180?, 0x2?, 0x2?})\n"
                        + "\tgo.etcd.io/etcd/etcdctl/ctlv3/command/alarm_command.go:57 +0x110\n"
                : "go.etcd.io/etcd/etcdctl/ctlv3/command.alarmListCommandFunc(0xc000253500?, {0xc000183c00?, 0x2?, 0x2?})\n"
                        + "\tgo.etcd.io/etcd/etcdctl/ctlv3/command/alarm_command.go:80 +0xe7\n";
        return "panic: runtime error: invalid memory address or nil pointer dereference\n"
                + "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0xb9181e]\n\n"
                + "goroutine 1 [running]:\n"
                + "go.etcd.io/etcd/etcdctl/ctlv3/command.(*fieldsPrinter).hdr(0x0?, 0x0)\n"
                + "\tgo.etcd.io/etcd/etcdctl/ctlv3/command/printer_fields.go:38 +0x5e\n"
                + "go.etcd.io/etcd/etcdctl/ctlv3/command.(*fieldsPrinter).Alarm(0xc000191b80?, {0x0?, {0x0?, 0x0?, 0x0?}})\n"
                + "\tgo.etcd.io/etcd/etcdctl/ctlv3/command/printer_fields.go:181 +0x45\n"
                + frame
                + GoCobraFrames.fromExecute("0xc000253500", "{0xc000183be0, 0x2, 0x2}");
    }
}
