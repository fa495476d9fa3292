package dev.mountedsecrets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration;
import dev.mountedsecrets.autoconfigure.MountedSecretsReloadAutoConfiguration;
import dev.mountedsecrets.reload.SecretsReloader;
import dev.mountedsecrets.reload.SecretsRotatedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the reloader tells the two layouts apart: a Kubernetes-style atomic {@code ..data} swap
 * is applied at once, a file written in place waits for the quiet period; a half-written file
 * is never taken in either; a poll with nothing changed reads no contents, and a same-size
 * rewrite is still seen. Synchronised on the reloader's counters, never on sleeps.
 */
class ReloadLayoutTests {

	private static final String KEY_1 = "Layout-Key-One-5b0e7c1d9a2f4e83a";

	private static final String KEY_2 = "Layout-Key-Two-c84f1a06d3e95b27b";

	private static final String KEY_3 = "Layout-Key-Six-71ad0e4c9b58f2d6c";

	private static final String NEVER = "600s";

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
	void reloadWhenKubernetesSwapsDataAppliesItWithoutQuietPeriod() throws Exception {
		KubernetesSecretVolume volume = new KubernetesSecretVolume(this.secrets);
		volume.write("crypto_key", KEY_1, "email_password", "Mail-Swap-1");
		start(NEVER);
		volume.write("crypto_key", KEY_2, "email_password", "Mail-Swap-2");
		awaitUntil(() -> recorder().values.contains(KEY_2));
		assertThat(property("spring.mail.password")).isEqualTo("Mail-Swap-2");
		volume.write("crypto_key", KEY_3, "email_password", "Mail-Swap-3");
		awaitUntil(() -> recorder().values.contains(KEY_3));
		assertThat(reloader().atomicSwaps()).isEqualTo(2);
		assertThat(reloader().deferredChanges()).isZero();
		assertThat(recorder().values).containsExactly(KEY_2, KEY_3);
	}

	@Test
	void reloadWhenFileWrittenInPlaceKeepsItForTheQuietPeriod() throws Exception {
		SecretFiles.write(this.secrets, "crypto_key", KEY_1);
		start(NEVER);
		SecretFiles.write(this.secrets, "crypto_key", KEY_2);
		awaitUntil(() -> reloader().deferredChanges() >= 1);
		wakeReloader(5);
		assertThat(property("secrets.file.crypto_key")).isEqualTo(KEY_1);
		assertThat(reloader().atomicSwaps()).isZero();
		assertThat(recorder().values).isEmpty();
	}

	@Test
	void reloadWhenKubernetesKeyWrittenInPlaceKeepsItForTheQuietPeriod() throws Exception {
		KubernetesSecretVolume volume = new KubernetesSecretVolume(this.secrets);
		volume.write("crypto_key", KEY_1);
		start(NEVER);
		Files.writeString(this.secrets.resolve("..data/crypto_key"), KEY_2);
		awaitUntil(() -> reloader().deferredChanges() >= 1);
		wakeReloader(5);
		assertThat(property("secrets.file.crypto_key")).isEqualTo(KEY_1);
		assertThat(reloader().atomicSwaps()).isZero();
	}

	@Test
	void reloadWhenFileHalfWrittenInPlaceTakesOnlyTheFinishedValue() throws Exception {
		SecretFiles.write(this.secrets, "crypto_key", KEY_1);
		start("3s");
		Path file = this.secrets.resolve("crypto_key");
		Files.writeString(file, KEY_2.substring(0, 10), StandardOpenOption.TRUNCATE_EXISTING);
		awaitUntil(() -> reloader().deferredChanges() >= 1);
		Files.writeString(file, KEY_2.substring(10) + "\n", StandardOpenOption.APPEND);
		awaitUntil(() -> recorder().values.contains(KEY_2));
		assertThat(recorder().values).containsExactly(KEY_2);
		assertThat(reloader().refusals()).isZero();
	}

	@Test
	void reloadWhenKubernetesGenerationHalfWrittenTakesOnlyTheSwappedValue() throws Exception {
		KubernetesSecretVolume volume = new KubernetesSecretVolume(this.secrets);
		volume.write("crypto_key", KEY_1);
		start(NEVER);
		Path generation = volume.prepare();
		Files.writeString(generation.resolve("crypto_key"), KEY_2.substring(0, 10));
		long reads = reloader().contentReads();
		awaitUntil(() -> reloader().contentReads() > reads);
		long polls = reloader().polls();
		awaitUntil(() -> reloader().polls() >= polls + 3);
		assertThat(property("secrets.file.crypto_key")).isEqualTo(KEY_1);
		Files.writeString(generation.resolve("crypto_key"), KEY_2.substring(10), StandardOpenOption.APPEND);
		volume.swap(generation);
		awaitUntil(() -> recorder().values.contains(KEY_2));
		assertThat(recorder().values).containsExactly(KEY_2);
		assertThat(reloader().refusals()).isZero();
		assertThat(reloader().atomicSwaps()).isEqualTo(1);
	}

	@Test
	void pollWhenNothingChangedReadsNoContents() throws Exception {
		SecretFiles.write(this.secrets, "crypto_key", KEY_1);
		SecretFiles.write(this.secrets, "redis_password", "Redis-Poll-1");
		start(NEVER);
		awaitSettled();
		long reads = reloader().contentReads();
		long polls = reloader().polls();
		awaitUntil(() -> reloader().polls() >= polls + 10);
		assertThat(reloader().contentReads()).isEqualTo(reads);
	}

	@Test
	void pollWhenSameSizeRewriteKeepsOldMtimeStillSeesIt() throws Exception {
		Path file = SecretFiles.write(this.secrets, "crypto_key", KEY_1);
		start("100ms");
		awaitSettled();
		FileTime mtime = Files.getLastModifiedTime(file);
		SecretFiles.write(this.secrets, "crypto_key", KEY_2);
		Files.setLastModifiedTime(file, mtime);
		assertThat(Files.size(file)).isEqualTo(KEY_1.length() + 1);
		awaitUntil(() -> recorder().values.contains(KEY_2));
		assertThat(recorder().values).containsExactly(KEY_2);
	}

	/**
	 * Wake the reloader with file-system events (while a change waits for its quiet period,
	 * it polls on events only) and wait until it has looked at the folder each time.
	 */
	private void wakeReloader(int times) throws Exception {
		for (int i = 0; i < times; i++) {
			long polls = reloader().polls();
			Files.writeString(this.secrets.resolve(".wake-" + i), "");
			awaitUntil(() -> reloader().polls() > polls);
		}
	}

	/** Wait for a poll that read no contents: the folder's fingerprint is settled. */
	private void awaitSettled() {
		awaitUntil(() -> reloader().polls() > reloader().contentReads());
	}

	private void start(String quietPeriod) {
		this.context = TestApplications.application(LayoutApplication.class, WebApplicationType.NONE, Map.of())
			.run("--secrets.dir=" + this.secrets, "--secrets.reload.enabled=true",
					"--secrets.reload.quiet-period=" + quietPeriod, "--secrets.reload.poll-interval=20ms");
	}

	private SecretsReloader reloader() {
		return this.context.getBean(SecretsReloader.class);
	}

	private Recorder recorder() {
		return this.context.getBean(Recorder.class);
	}

	private String property(String name) {
		return this.context.getEnvironment().getProperty(name);
	}

	private static void awaitUntil(BooleanSupplier condition) {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(condition::getAsBoolean);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ MountedSecretsAutoConfiguration.class, MountedSecretsReloadAutoConfiguration.class })
	static class LayoutApplication {

		@Bean
		Recorder layoutRecorder(Environment environment) {
			return new Recorder(environment);
		}

	}

	/**
	 * The crypto key the environment served at each rotation event. Tests wait on it rather
	 * than on the property: the event is published after the new values are served.
	 */
	static class Recorder implements ApplicationListener<SecretsRotatedEvent> {

		final List<String> values = new CopyOnWriteArrayList<>();

		private final Environment environment;

		Recorder(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void onApplicationEvent(SecretsRotatedEvent event) {
			if (event.getSecrets().contains("crypto_key")) {
				this.values.add(this.environment.getProperty("secrets.file.crypto_key"));
			}
		}

	}

}
