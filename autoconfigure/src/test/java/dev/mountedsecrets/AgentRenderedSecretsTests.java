package dev.mountedsecrets;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import dev.mountedsecrets.SecretsReloaderTests.Recorder;
import dev.mountedsecrets.SecretsReloaderTests.ReloadApplication;
import dev.mountedsecrets.reload.SecretsReloader;
import dev.mountedsecrets.reload.SecretsRotatedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The layout of Vault Agent (and consul-template) templates, which differs from the
 * kubelet's {@code ..data} swap: each file is rendered to a temporary file with a numeric
 * name in the same folder, synced, given the old file's mode (0644 for a new one) and renamed
 * over the destination. The Secrets Store CSI driver uses the kubelet's atomic writer, tested
 * with {@link KubernetesSecretVolume}.
 */
class AgentRenderedSecretsTests {

	private static final String KEY_1 = "Agent-Rendered-Key-One-6d1f0a8c3e92";

	private static final String KEY_2 = "Agent-Rendered-Key-Two-b52c9e71f04a";

	private static final String KEY_3 = "Agent-Rendered-Key-Three-0e4a7d3c1b";

	@TempDir
	Path secrets;

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void reloadWhenAgentRenamesRenderedFileOverSecretServesEachNewValue() throws IOException {
		render("crypto_key", KEY_1, 1);
		render("email_password", "Agent-Mail-Gen-1", 2);
		start();
		render("crypto_key", KEY_2, 3);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> KEY_2.equals(this.context.getEnvironment().getProperty("secrets.file.crypto_key")));
		render("crypto_key", KEY_3, 4);
		render("email_password", "Agent-Mail-Gen-2", 5);
		Recorder recorder = this.context.getBean(Recorder.class);
		// The event follows the new values: wait for it, not for the property.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> recorder.events.stream().anyMatch((event) -> event.getSecrets().contains("email_password")));
		assertThat(this.context.getEnvironment().getProperty("spring.mail.password")).isEqualTo("Agent-Mail-Gen-2");
		assertThat(this.context.getEnvironment().getProperty("secrets.file.crypto_key")).isEqualTo(KEY_3);
		assertThat(recorder.events).flatExtracting(SecretsRotatedEvent::getSecrets)
			.containsOnly("crypto_key", "email_password");
		assertThat(this.context.getBean(SecretsReloader.class).refusals()).isZero();
		assertThat(this.context.getBean(MountedSecrets.class).inUse().secrets()).as("no temporary file is served")
			.containsOnlyKeys("crypto_key", "email_password");
	}

	/**
	 * What consul-template's renderer does: a temporary file beside the destination, synced,
	 * chmod, then rename.
	 */
	private void render(String name, String value, int attempt) throws IOException {
		Path temporary = this.secrets.resolve(String.valueOf(1_000_000_000L + attempt));
		try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
				StandardOpenOption.WRITE)) {
			channel.write(StandardCharsets.UTF_8.encode(value + "\n"));
			channel.force(true);
		}
		Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
		Files.move(temporary, this.secrets.resolve(name), StandardCopyOption.ATOMIC_MOVE);
	}

	private void start() {
		this.context = TestApplications.application(ReloadApplication.class, WebApplicationType.NONE, Map.of())
			.run("--secrets.dir=" + this.secrets, "--secrets.reload.enabled=true", "--secrets.reload.quiet-period=200ms",
					"--secrets.reload.poll-interval=100ms");
	}

}
