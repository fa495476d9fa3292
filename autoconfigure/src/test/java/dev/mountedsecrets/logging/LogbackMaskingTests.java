package dev.mountedsecrets.logging;

import java.util.List;

import dev.mountedsecrets.ServedSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log masking of a registry that several applications share (one folder's): closing one
 * of them keeps the masking for the others.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogbackMaskingTests {

	private static final String SECRET = "Shared-Folder-Log-Secret-6a1f0c93";

	private final ServedSecrets served = new ServedSecrets();

	private final Object first = new Object();

	private final Object second = new Object();

	@AfterEach
	void forget() {
		LogbackMasking.forget(this.served, this.first);
		LogbackMasking.forget(this.served, this.second);
	}

	@Test
	void forgetWhenAnotherHolderStillOpenKeepsMasking(CapturedOutput output) {
		this.served.record(List.of(SECRET));
		LogbackMasking.install(this.served, this.first);
		LogbackMasking.install(this.served, this.second);
		LogbackMasking.forget(this.served, this.first);
		LoggerFactory.getLogger(LogbackMaskingTests.class).warn("key in use: {}", SECRET);
		assertThat(output).contains("key in use: ******").doesNotContain(SECRET);
	}

	@Test
	void forgetWhenLastHolderClosedStopsUsingTheRegistry(CapturedOutput output) {
		String ordinary = "an-ordinary-value-that-is-a-secret-elsewhere";
		this.served.record(List.of(ordinary));
		LogbackMasking.install(this.served, this.first);
		LogbackMasking.forget(this.served, this.first);
		LoggerFactory.getLogger(LogbackMaskingTests.class).warn("value: {}", ordinary);
		assertThat(output).contains("value: " + ordinary);
	}

}
