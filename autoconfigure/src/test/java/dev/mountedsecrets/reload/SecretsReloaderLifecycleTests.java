package dev.mountedsecrets.reload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.SecretMappings;
import dev.mountedsecrets.SecretsProperties;
import dev.mountedsecrets.SecretsPropertySource;
import dev.mountedsecrets.SecretsSnapshot;
import dev.mountedsecrets.TestWaits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reloader on its own, without an application context: its thread's life, a folder that
 * appears after start-up (no file-system events for it, polling only), and its counters. Each
 * step waits on the counter it moves.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsReloaderLifecycleTests {

	private static final String KEY_1 = "Lifecycle-Key-One-0c5e9a7d3b1f48";

	private static final String KEY_2 = "Lifecycle-Key-Two-e2b84d10a6c9f7";

	@TempDir
	Path root;

	private final StandardEnvironment environment = new StandardEnvironment();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private SecretsReloader reloader;

	@AfterEach
	void stop() {
		if (this.reloader != null) {
			this.reloader.stop();
		}
	}

	@Test
	void startWhenCalledRunsOneNamedDaemonThreadThatStopEnds() throws IOException {
		Path dir = Files.createDirectory(this.root.resolve("secrets"));
		this.reloader = reloader(dir);
		assertThat(this.reloader.isRunning()).isFalse();
		this.reloader.start();
		assertThat(this.reloader.isRunning()).isTrue();
		assertThat(watcherThreads()).singleElement().satisfies((thread) -> assertThat(thread.isDaemon()).isTrue());
		this.reloader.stop();
		assertThat(this.reloader.isRunning()).isFalse();
		assertThat(watcherThreads()).isEmpty();
	}

	@Test
	void stopWhenNeverStartedDoesNothing() throws IOException {
		this.reloader = reloader(Files.createDirectory(this.root.resolve("secrets")));
		this.reloader.stop();
		assertThat(this.reloader.isRunning()).isFalse();
	}

	@Test
	void reloadWhenFolderAppearsAfterStartServesItsFilesByPolling() throws IOException {
		Path dir = this.root.resolve("later");
		this.reloader = reloader(dir);
		this.reloader.start();
		Files.createDirectory(dir);
		Files.writeString(dir.resolve("crypto_key"), KEY_1, StandardCharsets.UTF_8);
		await().atMost(TestWaits.LIMIT).until(() -> this.reloader.rotations() == 1);
		assertThat(this.environment.getProperty("secrets.file.crypto_key")).isEqualTo(KEY_1);
		assertThat(this.reloader.changesNoticed()).isPositive();
		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(SecretsRotatedEvent.class, (event) -> {
				assertThat(event.getSource()).isSameAs(this.reloader);
				assertThat(event.getSecrets()).containsExactly("crypto_key");
				assertThat(event.getProperties()).containsExactly("secrets.file.crypto_key");
			});
	}

	@Test
	void reloadWhenValueRefusedCountsRefusalAndPublishesNothing() throws IOException {
		Path dir = Files.createDirectory(this.root.resolve("secrets"));
		Files.writeString(dir.resolve("crypto_key"), KEY_1, StandardCharsets.UTF_8);
		this.reloader = reloader(dir);
		this.reloader.start();
		Files.writeString(dir.resolve("crypto_key"), "too-short", StandardCharsets.UTF_8);
		await().atMost(TestWaits.LIMIT).until(() -> this.reloader.refusals() == 1);
		assertThat(this.reloader.rotations()).isZero();
		assertThat(this.events).isEmpty();
		assertThat(this.environment.getProperty("secrets.file.crypto_key")).isEqualTo(KEY_1);
		Files.writeString(dir.resolve("crypto_key"), KEY_2, StandardCharsets.UTF_8);
		await().atMost(TestWaits.LIMIT).until(() -> this.reloader.rotations() == 1);
		// A rewrite (truncate, then write) may be noticed in two steps: at least the two changes.
		assertThat(this.reloader.changesNoticed()).isGreaterThanOrEqualTo(2);
		assertThat(this.reloader.refusals()).isEqualTo(1);
		assertThat(this.environment.getProperty("secrets.file.crypto_key")).isEqualTo(KEY_2);
	}

	@Test
	void reloadWhenAListenerFailsKeepsTheRotationAndWatchingAndNamesOnlyTheFailuresType(CapturedOutput output)
			throws IOException {
		Path dir = Files.createDirectory(this.root.resolve("secrets"));
		Files.writeString(dir.resolve("crypto_key"), KEY_1, StandardCharsets.UTF_8);
		this.reloader = reloader(dir, (event) -> {
			this.events.add(event);
			throw new IllegalStateException("listener quotes " + this.environment.getProperty("secrets.file.crypto_key"));
		});
		this.reloader.start();
		Files.writeString(dir.resolve("crypto_key"), KEY_2, StandardCharsets.UTF_8);
		await().atMost(TestWaits.LIMIT).until(() -> this.reloader.rotations() == 1);
		assertThat(this.environment.getProperty("secrets.file.crypto_key")).isEqualTo(KEY_2);
		assertThat(output.getAll()).contains("A listener of the rotation of [crypto_key] failed"
				+ " (java.lang.IllegalStateException); the rotated values are in use")
			.doesNotContain(KEY_2)
			.doesNotContain("Reading the secrets folder failed");
		Files.writeString(dir.resolve("crypto_key"), KEY_1, StandardCharsets.UTF_8);
		await().atMost(TestWaits.LIMIT).until(() -> this.reloader.rotations() == 2);
		assertThat(this.events).hasSize(2);
	}

	private SecretsReloader reloader(Path dir) throws IOException {
		return reloader(dir, this.events::add);
	}

	private SecretsReloader reloader(Path dir, ApplicationEventPublisher publisher) throws IOException {
		SecretsProperties properties = new SecretsProperties();
		properties.setDir(dir);
		properties.getReload().setQuietPeriod(Duration.ofMillis(100));
		properties.getReload().setPollInterval(Duration.ofMillis(50));
		MountedSecrets secrets = new MountedSecrets(this.environment, properties);
		SecretsSnapshot initial = secrets.readFolder();
		this.environment.getPropertySources()
			.addFirst(new SecretsPropertySource(initial, SecretMappings.withOverrides(Map.of())));
		return new SecretsReloader(secrets, publisher);
	}

	private static List<Thread> watcherThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals(SecretsReloader.THREAD_NAME) && thread.isAlive())
			.toList();
	}

}
