package dev.mountedsecrets;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The INFO line at start-up says how many files were loaded and what the first
 * {@value SecretsEnvironmentPostProcessor#USES_AT_INFO} feed, not every one of thousands: a
 * line, not a page. DEBUG lists every file.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupLogLineTests {

	private static final String LOGGER = "--logging.level." + SecretsEnvironmentPostProcessor.class.getName();

	@TempDir
	Path dir;

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void startWithAsManyFilesAsTheLineShowsListsEveryOne(CapturedOutput output) {
		write(SecretsEnvironmentPostProcessor.USES_AT_INFO);
		this.context = start();
		assertThat(output).contains("Loaded 50 secret file(s) from " + this.dir + ": secret_000 -> secrets.file.secret_000")
			.contains("secret_049 -> secrets.file.secret_049")
			.doesNotContain(" more (logging.level.");
		assertThat(output).doesNotContain("Line-Value-");
	}

	@Test
	void startWithMoreFilesListsTheFirstAndCountsTheRest(CapturedOutput output) {
		write(SecretsEnvironmentPostProcessor.USES_AT_INFO + 12);
		this.context = start();
		assertThat(this.context.getEnvironment().getProperty("secrets.file.secret_061")).isEqualTo("Line-Value-61-x7");
		assertThat(output).contains("Loaded 62 secret file(s) from " + this.dir + ": secret_000 -> secrets.file.secret_000")
			.contains("secret_049 -> secrets.file.secret_049 | and 12 more (logging.level."
					+ SecretsEnvironmentPostProcessor.class.getName() + "=DEBUG lists every one)")
			.doesNotContain("secret_050 -> ");
		assertThat(output).doesNotContain("Line-Value-");
	}

	@Test
	void startWithMoreFilesAtDebugListsEveryOne(CapturedOutput output) {
		write(SecretsEnvironmentPostProcessor.USES_AT_INFO + 12);
		this.context = start(LOGGER + "=DEBUG");
		assertThat(output).contains("secret_050 -> secrets.file.secret_050")
			.contains("secret_061 -> secrets.file.secret_061");
		assertThat(output).doesNotContain("Line-Value-");
	}

	private void write(int count) {
		for (int i = 0; i < count; i++) {
			SecretFiles.write(this.dir, String.format("secret_%03d", i), "Line-Value-" + i + "-x7");
		}
	}

	private ConfigurableApplicationContext start(String... more) {
		String[] args = new String[more.length + 1];
		args[0] = "--secrets.dir=" + this.dir;
		System.arraycopy(more, 0, args, 1, more.length);
		return TestApplications.application(Empty.class, WebApplicationType.NONE, Map.of()).run(args);
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
