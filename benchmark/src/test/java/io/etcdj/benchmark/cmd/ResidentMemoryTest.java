package io.etcdj.benchmark.cmd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.benchmark.compare.ResidentMemory;
import org.junit.jupiter.api.Test;

class ResidentMemoryTest {
    @Test
    void reads_this_jvms_resident_memory() {
        assertThat(ResidentMemory.kilobytes(ProcessHandle.current().pid())).isPresent();
        assertThat(ResidentMemory.kilobytes(ProcessHandle.current().pid()).getAsLong()).isGreaterThan(1024);
        assertThat(ResidentMemory.kilobytes(Long.MAX_VALUE)).isEmpty();
    }
}
