package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Runs a succeeding and a failing start-up with every logger at TRACE and searches all that
 * was printed, the exception and every {@code toString()} for the secrets' text.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretLeakTests {

	private static final List<String> SECRETS = List.of("Leak-Db-9f2c71d4e0", "Leak-Admin-3b8e0a55",
			"Leak-Redis-c4d21e7f", "Leak-Mail-77aa01bd", "Leak-Client-Secret-5e6f", "Leak-Crypto-Key-0123456789abcdef-xyz",
			"Leak-Env-File-42f0e1");

	private static final String SHORT_TOKEN_KEY = "Leak-Short-Token-1";

	@TempDir
	Path secrets;

	@Test
	void startWhenSucceedingAtTraceLeaksNoSecret(CapturedOutput output) throws IOException {
		writeAll();
		Path envFile = Files.writeString(this.secrets.resolve("extra_secret"), SECRETS.get(6));
		try (ConfigurableApplicationContext context = TestApplications.run(
				Map.of("APP_EXTRA_FILE", envFile.toString()), "--secrets.dir=" + this.secrets,
				"--logging.level.root=TRACE", "--debug")) {
			assertThat(context.getEnvironment().getProperty("spring.datasource.password")).isEqualTo(SECRETS.get(0));
			assertThat(context.getEnvironment().getProperty("app.extra")).isEqualTo(SECRETS.get(6));
			for (PropertySource<?> source : context.getEnvironment().getPropertySources()) {
				assertNoSecret(source.toString());
				assertNoSecret(String.valueOf(source.getSource()));
			}
		}
		assertThat(output.getAll()).contains("Loaded 7 secret file(s)").contains(" TRACE ");
		assertNoSecret(output.getAll());
	}

	@Test
	void startWhenFailingAtTraceLeaksNoSecret(CapturedOutput output) throws IOException {
		writeAll();
		Files.writeString(this.secrets.resolve("token_secret_key"), SHORT_TOKEN_KEY);
		assertThatExceptionOfType(InvalidSecretsException.class)
			.isThrownBy(() -> TestApplications.run("--secrets.dir=" + this.secrets, "--logging.level.root=TRACE",
					"--debug"))
			.satisfies((ex) -> {
				assertNoSecret(ex.getMessage());
				assertThat(ex.getMessage()).doesNotContain(SHORT_TOKEN_KEY);
				assertThat(ex.getProblems().toString()).doesNotContain(SHORT_TOKEN_KEY);
			});
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START").contains("token_secret_key").contains(" TRACE ");
		assertNoSecret(output.getAll());
		assertThat(output.getAll()).doesNotContain(SHORT_TOKEN_KEY);
	}

	private void writeAll() throws IOException {
		write("db_password_server", SECRETS.get(0));
		write("postgres_password", SECRETS.get(1));
		write("redis_password", SECRETS.get(2));
		write("email_password", SECRETS.get(3));
		write("google_oauth_client_secret", SECRETS.get(4));
		write("crypto_key", SECRETS.get(5));
	}

	private void write(String name, String value) throws IOException {
		Files.writeString(this.secrets.resolve(name), value + "\n");
	}

	private static void assertNoSecret(String text) {
		for (String secret : SECRETS) {
			assertThat(text).doesNotContain(secret);
		}
	}

}
