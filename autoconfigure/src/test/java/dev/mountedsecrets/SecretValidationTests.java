package dev.mountedsecrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Start-up validation: each bad secret fails with a message naming the file, the properties
 * it feeds and the rule, an action, and never the value.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretValidationTests {

	private static final String SHORT_KEY = "short-Key-7b1d";

	@TempDir
	Path secrets;

	@Test
	void startWhenRequiredFileMissingFails(CapturedOutput output) {
		FailureAnalysis analysis = failedStart("--secrets.required=db_password_server,redis_password");
		assertThat(analysis.getDescription())
			.contains(this.secrets.resolve("db_password_server")
					+ " (feeds spring.datasource.password, secrets.file.db_password_server)"
					+ ": is required (secrets.required) but does not exist")
			.contains(this.secrets.resolve("redis_password").toString());
		assertThat(analysis.getAction()).contains("Create the secret file");
		assertThat(output).contains("APPLICATION FAILED TO START").contains("is required (secrets.required)");
	}

	@Test
	void startWhenRequiredFileEmptyFails() throws IOException {
		write("crypto_key", "\n");
		FailureAnalysis analysis = failedStart("--secrets.required=crypto_key");
		assertThat(analysis.getDescription()).contains("crypto_key (feeds secrets.file.crypto_key): is empty");
	}

	@Test
	void startWhenRequiredPathIsFolderFails() throws IOException {
		Files.createDirectory(this.secrets.resolve("redis_password"));
		FailureAnalysis analysis = failedStart("--secrets.required=redis_password");
		assertThat(analysis.getDescription()).contains("redis_password").contains("is a folder, not a file");
	}

	@Test
	void startWhenRequiredFolderMissingFails() {
		Path missing = this.secrets.resolve("absent");
		FailureAnalysis analysis = failedStartIn(missing, "--secrets.required=email_password");
		assertThat(analysis.getDescription()).contains(missing.resolve("email_password").toString());
	}

	@Test
	void startWhenKeyShorterThanDefaultMinimumFails(CapturedOutput output) throws IOException {
		write("token_secret_key", SHORT_KEY + "\n");
		FailureAnalysis analysis = failedStart();
		assertThat(analysis.getDescription()).contains(this.secrets.resolve("token_secret_key")
				+ " (feeds secrets.file.token_secret_key): is shorter than the 32 characters required"
				+ " (secrets.min-length.token_secret_key)");
		assertThat(analysis.getAction()).contains("at least 32 characters");
		assertThat(analysis.getDescription().replace(this.secrets.toString(), ""))
			.doesNotContain(String.valueOf(SHORT_KEY.length()));
		assertThat(output).doesNotContain(SHORT_KEY);
	}

	@Test
	void startWhenEveryDefaultKeyShortReportsEach() throws IOException {
		write("crypto_key", SHORT_KEY);
		write("token_secret_key", SHORT_KEY);
		write("nextauth_secret", SHORT_KEY);
		FailureAnalysis analysis = failedStart();
		assertThat(analysis.getDescription()).contains("crypto_key").contains("token_secret_key")
			.contains("nextauth_secret");
	}

	@Test
	void startWhenKeyLongEnoughStarts() throws IOException {
		write("crypto_key", "k3Y-".repeat(8) + "\n");
		try (ConfigurableApplicationContext context = run()) {
			assertThat(context.getEnvironment().getProperty("secrets.file.crypto_key")).hasSize(32);
		}
	}

	@Test
	void startWhenMinLengthSetAppliesItToAnyFile() throws IOException {
		write("redis_password", "sixteen-chars-pw");
		FailureAnalysis analysis = failedStart("--secrets.min-length.redis_password=20");
		assertThat(analysis.getDescription())
			.contains("(feeds spring.data.redis.password, secrets.file.redis_password)")
			.contains("is shorter than the 20 characters required (secrets.min-length.redis_password)");
	}

	@Test
	void startWhenMinLengthLoweredForDefaultKeyAcceptsIt() throws IOException {
		write("crypto_key", SHORT_KEY);
		try (ConfigurableApplicationContext context = run("--secrets.min-length.crypto_key=8")) {
			assertThat(context.getEnvironment().getProperty("secrets.file.crypto_key")).isEqualTo(SHORT_KEY);
		}
	}

	@Test
	void startWhenFileLargerThanMaximumFails() throws IOException {
		write("email_password", "x".repeat(2048));
		FailureAnalysis analysis = failedStart("--secrets.max-file-size=1KB");
		assertThat(analysis.getDescription())
			.contains("email_password (feeds spring.mail.password): is larger than secrets.max-file-size (1024B)");
	}

	@Test
	void startWhenMappedFileEmptyFails() throws IOException {
		write("db_password_server", "");
		FailureAnalysis analysis = failedStart();
		assertThat(analysis.getDescription()).contains(
				"db_password_server (feeds spring.datasource.password, secrets.file.db_password_server): is empty");
	}

	@Test
	void startWhenUnmappedFileEmptyStarts() throws IOException {
		write("notes", "");
		try (ConfigurableApplicationContext context = run()) {
			assertThat(context.getEnvironment().getProperty("secrets.file.notes")).isEmpty();
		}
	}

	@Test
	void startWhenInvalidUtf8FailsWithoutShowingBytes(CapturedOutput output) throws IOException {
		Files.write(this.secrets.resolve("redis_password"),
				new byte[] { 'z', 'q', 'x', 'j', 'k', (byte) 0xC3, (byte) 0x28, 'w', 'v' });
		FailureAnalysis analysis = failedStart();
		assertThat(analysis.getDescription())
			.contains("redis_password (feeds spring.data.redis.password): is not valid UTF-8");
		assertThat(output).contains("is not valid UTF-8").doesNotContain("zqxjk");
	}

	private FailureAnalysis failedStart(String... args) {
		return failedStartIn(this.secrets, args);
	}

	private FailureAnalysis failedStartIn(Path dir, String... args) {
		InvalidSecretsException ex = catchThrowableOfType(InvalidSecretsException.class, () -> runIn(dir, args));
		assertThat(ex).as("start-up fails with InvalidSecretsException").isNotNull();
		FailureAnalysis analysis = new InvalidSecretsFailureAnalyzer().analyze(ex);
		assertThat(analysis).isNotNull();
		return analysis;
	}

	private ConfigurableApplicationContext run(String... args) {
		return runIn(this.secrets, args);
	}

	private static ConfigurableApplicationContext runIn(Path dir, String... args) {
		String[] all = new String[args.length + 1];
		all[0] = "--secrets.dir=" + dir;
		System.arraycopy(args, 0, all, 1, args.length);
		return TestApplications.run(all);
	}

	private void write(String name, String content) throws IOException {
		Files.write(this.secrets.resolve(name), content.getBytes(StandardCharsets.UTF_8));
	}

}
