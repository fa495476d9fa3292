package dev.mountedsecrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration;
import dev.mountedsecrets.autoconfigure.MountedSecretsReloadAutoConfiguration;
import dev.mountedsecrets.reload.SecretsReloader;
import dev.mountedsecrets.reload.SecretsRotatedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Detection and validation of rotated secret files: in-place writes, Kubernetes' atomic swap,
 * added and removed files, half-written files, and bad new values that never replace good ones.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsReloaderTests {

	private static final String KEY_1 = "Rotation-Key-One-5b0e7c1d9a2f4e83";

	private static final String KEY_2 = "Rotation-Key-Two-c84f1a06d3e95b27";

	private static final String KEY_3 = "Rotation-Key-Three-71ad0e4c9b58f2";

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
	void reloadWhenFileRewrittenServesNewValueAndPublishesEvent(CapturedOutput output) throws IOException {
		SecretFiles.write(this.secrets, "crypto_key", KEY_1);
		SecretFiles.write(this.secrets, "redis_password", "Redis-Before-1");
		start();
		assertThat(this.context.getBean(SecretsReloader.class).rotations()).isZero();
		SecretFiles.write(this.secrets, "crypto_key", KEY_2);
		awaitRotations(1);
		Recorder recorder = this.context.getBean(Recorder.class);
		assertThat(recorder.events).singleElement().satisfies((event) -> {
			assertThat(event.getSecrets()).containsExactly("crypto_key");
			assertThat(event.getProperties()).containsExactly("secrets.file.crypto_key");
		});
		assertThat(recorder.valuesSeen).containsExactly(KEY_2);
		assertThat(this.context.getEnvironment().getProperty("secrets.file.crypto_key")).isEqualTo(KEY_2);
		assertThat(this.context.getEnvironment().getProperty("spring.data.redis.password")).isEqualTo("Redis-Before-1");
		assertThat(output).contains("Rotated secrets [crypto_key]")
			.doesNotContain(KEY_1)
			.doesNotContain(KEY_2);
	}

	@Test
	void reloadWhenNewValueInvalidKeepsOldValueAndWarnsOnce(CapturedOutput output) throws Exception {
		SecretFiles.write(this.secrets, "crypto_key", KEY_1);
		start();
		SecretsReloader reloader = this.context.getBean(SecretsReloader.class);
		List<byte[]> badValues = List.of("short-key".getBytes(StandardCharsets.UTF_8), new byte[0],
				new byte[] { 'R', 'o', 't', (byte) 0xC3, (byte) 0x28 });
		for (int i = 0; i < badValues.size(); i++) {
			assertThat(reloader.refusals()).isEqualTo(i);
			Files.write(this.secrets.resolve("crypto_key"), badValues.get(i));
			long refused = i + 1;
			await().atMost(TestWaits.LIMIT).until(() -> reloader.refusals() == refused);
			assertThat(this.context.getEnvironment().getProperty("secrets.file.crypto_key")).isEqualTo(KEY_1);
		}
		// The watcher handles one folder state after the other: once the good value is applied,
		// every earlier state has been judged, so the counts below are final.
		assertThat(reloader.rotations()).isZero();
		SecretFiles.write(this.secrets, "crypto_key", KEY_2);
		awaitRotations(1);
		assertThat(reloader.refusals()).isEqualTo(badValues.size());
		assertThat(this.context.getEnvironment().getProperty("secrets.file.crypto_key")).isEqualTo(KEY_2);
		assertThat(this.context.getBean(Recorder.class).events).singleElement()
			.satisfies((event) -> assertThat(event.getSecrets()).containsExactly("crypto_key"));
		assertThat(output).contains("Secret not rotated: " + this.secrets.resolve("crypto_key"))
			.contains("is shorter than the 32 characters required")
			.contains("is empty")
			.contains("is not valid UTF-8")
			.contains("the last good value stays in use")
			.containsOnlyOnce("is shorter than the 32 characters required")
			.containsOnlyOnce("is not valid UTF-8")
			.doesNotContain("short-key")
			.doesNotContain(KEY_1)
			.doesNotContain(KEY_2);
	}

	@Test
	void reloadWhenKubernetesSwapsDataTwiceServesEachGeneration() throws IOException {
		KubernetesSecretVolume volume = new KubernetesSecretVolume(this.secrets);
		volume.write("crypto_key", KEY_1, "email_password", "Mail-Gen-1");
		start();
		SecretsReloader reloader = this.context.getBean(SecretsReloader.class);
		assertThat(reloader.rotations()).isZero();
		volume.write("crypto_key", KEY_2, "email_password", "Mail-Gen-2");
		awaitRotations(1);
		assertValue("secrets.file.crypto_key", KEY_2);
		assertValue("spring.mail.password", "Mail-Gen-2");
		assertThat(reloader.rotations()).isEqualTo(1);
		volume.write("crypto_key", KEY_3, "email_password", "Mail-Gen-3");
		awaitRotations(2);
		assertValue("secrets.file.crypto_key", KEY_3);
		assertValue("spring.mail.password", "Mail-Gen-3");
		assertThat(reloader.refusals()).isZero();
	}

	@Test
	void reloadWhenFileHalfWrittenTakesOnlyTheFinishedValue() throws Exception {
		SecretFiles.write(this.secrets, "crypto_key", KEY_1);
		start("--secrets.reload.quiet-period=2s");
		SecretsReloader reloader = this.context.getBean(SecretsReloader.class);
		Path file = this.secrets.resolve("crypto_key");
		assertThat(reloader.changesNoticed()).isZero();
		Files.writeString(file, KEY_2.substring(0, 10), StandardOpenOption.TRUNCATE_EXISTING);
		// The watcher has seen the unfinished file (a pending change) before the writer goes on.
		await().atMost(TestWaits.LIMIT).until(() -> reloader.changesNoticed() >= 1);
		assertThat(reloader.rotations()).isZero();
		Files.writeString(file, KEY_2.substring(10) + "\n", StandardOpenOption.APPEND);
		// applied once the file has been quiet for the 2 s quiet period
		await().atMost(TestWaits.LIMIT.plusSeconds(2)).until(() -> reloader.rotations() >= 1);
		assertThat(reloader.rotations()).isEqualTo(1);
		assertValue("secrets.file.crypto_key", KEY_2);
		assertThat(this.context.getBean(Recorder.class).valuesSeen).containsExactly(KEY_2);
		assertThat(reloader.refusals()).isZero();
	}

	@Test
	void reloadWhenFileAddedServesItAndWhenRemovedKeepsLastValue(CapturedOutput output) throws IOException {
		SecretFiles.write(this.secrets, "crypto_key", KEY_1);
		start();
		SecretsReloader reloader = this.context.getBean(SecretsReloader.class);
		assertThat(reloader.rotations()).isZero();
		SecretFiles.write(this.secrets, "email_password", "Added-Later-9");
		awaitRotations(1);
		assertValue("spring.mail.password", "Added-Later-9");
		assertThat(reloader.refusals()).isZero();
		Files.delete(this.secrets.resolve("email_password"));
		await().atMost(TestWaits.LIMIT).until(() -> reloader.refusals() == 1);
		assertThat(output).contains("email_password (feeds").contains("was removed");
		assertValue("spring.mail.password", "Added-Later-9");
	}

	@Test
	void reloaderRunsOnOneNamedDaemonThreadClosedWithTheContext() throws Exception {
		SecretFiles.write(this.secrets, "crypto_key", KEY_1);
		start();
		List<Thread> watchers = watcherThreads();
		assertThat(watchers).singleElement().satisfies((thread) -> assertThat(thread.isDaemon()).isTrue());
		this.context.close();
		TestWaits.join(watchers.get(0));
		assertThat(watcherThreads()).isEmpty();
		this.context = null;
	}

	@Test
	void reloadWhenDisabledStartsNoThread() {
		SecretFiles.write(this.secrets, "crypto_key", KEY_1);
		this.context = TestApplications.application(ReloadApplication.class, WebApplicationType.NONE, Map.of())
			.run("--secrets.dir=" + this.secrets);
		assertThat(this.context.getBeanNamesForType(SecretsReloader.class)).isEmpty();
		assertThat(watcherThreads()).isEmpty();
	}

	private static List<Thread> watcherThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals(SecretsReloader.THREAD_NAME) && thread.isAlive())
			.toList();
	}

	private void start() {
		start("--secrets.reload.quiet-period=200ms");
	}

	private void start(String quietPeriod) {
		this.context = TestApplications.application(ReloadApplication.class, WebApplicationType.NONE, Map.of())
			.run("--secrets.dir=" + this.secrets, "--secrets.reload.enabled=true", quietPeriod,
					"--secrets.reload.poll-interval=100ms");
	}

	/**
	 * Waits for the watcher's {@code count}-th applied rotation; each test checks the count
	 * before the step that should produce it.
	 */
	private void awaitRotations(long count) {
		SecretsReloader reloader = this.context.getBean(SecretsReloader.class);
		await().atMost(TestWaits.LIMIT).until(() -> reloader.rotations() >= count);
		assertThat(reloader.rotations()).isEqualTo(count);
	}

	private void assertValue(String property, String value) {
		assertThat(this.context.getEnvironment().getProperty(property)).isEqualTo(value);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ MountedSecretsAutoConfiguration.class, MountedSecretsReloadAutoConfiguration.class })
	static class ReloadApplication {

		@Bean
		Recorder recorder(Environment environment) {
			return new Recorder(environment);
		}

	}

	/**
	 * Records each rotation event and the key the environment served when it arrived.
	 */
	static class Recorder implements ApplicationListener<SecretsRotatedEvent> {

		final List<SecretsRotatedEvent> events = new CopyOnWriteArrayList<>();

		final List<String> valuesSeen = new CopyOnWriteArrayList<>();

		private final Environment environment;

		Recorder(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void onApplicationEvent(SecretsRotatedEvent event) {
			this.events.add(event);
			if (event.getSecrets().contains("crypto_key")) {
				this.valuesSeen.add(this.environment.getProperty("secrets.file.crypto_key"));
			}
		}

	}

}
