package dev.mountedsecrets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration;
import dev.mountedsecrets.autoconfigure.MountedSecretsReloadAutoConfiguration;
import dev.mountedsecrets.autoconfigure.MountedSecretsSpringCloudAutoConfiguration;
import dev.mountedsecrets.reload.EnvironmentChangePublisher;
import dev.mountedsecrets.reload.SecretsReloader;
import dev.mountedsecrets.reload.SecretsRotatedEvent;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With Spring Cloud Context present, a rotation reaches the application's own
 * {@code @ConfigurationProperties} through Spring Cloud's rebinder; without it, nothing of
 * this exists. Uses only API common to Boot 3.5 and Boot 4 and to both Spring Cloud lines.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringCloudRefreshTests {

	private static final String OLD_KEY = "Cloud-Refresh-Key-Old-4c7b1e09d2a3f6";

	private static final String NEW_KEY = "Cloud-Refresh-Key-New-93e0f5a2b7c4d1";

	private static final String OTHER_KEY = "Cloud-Refresh-Key-Other-5d81c3e0a9f2b7";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MountedSecretsAutoConfiguration.class,
				MountedSecretsReloadAutoConfiguration.class, MountedSecretsSpringCloudAutoConfiguration.class))
		.withPropertyValues("secrets.reload.enabled=true");

	@TempDir
	Path secrets;

	@TempDir
	Path other;

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void rotationWhenSpringCloudPresentRebindsConfigurationPropertiesClass(CapturedOutput output) {
		SecretFiles.write(this.secrets, "crypto_key", OLD_KEY);
		start();
		AppProperties app = this.context.getBean(AppProperties.class);
		assertThat(app.getKey()).isEqualTo(OLD_KEY);
		SecretFiles.write(this.secrets, "crypto_key", NEW_KEY);
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.context.getBean(Changes.class).seen.isEmpty());
		Changes changes = this.context.getBean(Changes.class);
		assertThat(changes.environmentChanges).singleElement()
			.satisfies((event) -> assertThat(event.getKeys()).contains("secrets.file.crypto_key"));
		assertThat(changes.seen).as("rebound before other listeners of the rotation run").containsExactly(NEW_KEY);
		assertThat(app.getKey()).isEqualTo(NEW_KEY);
		assertThat(output).doesNotContain(OLD_KEY).doesNotContain(NEW_KEY);
	}

	@Test
	void rotationWhenPropertiesAreRecordKeepsRecordAsBoundAtStartup() {
		SecretFiles.write(this.secrets, "crypto_key", OLD_KEY);
		start();
		SecretFiles.write(this.secrets, "crypto_key", NEW_KEY);
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.context.getBean(Changes.class).seen.isEmpty());
		assertThat(this.context.getBean(AppProperties.class).getKey()).isEqualTo(NEW_KEY);
		assertThat(this.context.getBean(AppRecord.class).key()).as("records are bound once, through their constructor")
			.isEqualTo(OLD_KEY);
		assertThat(this.context.getEnvironment().getProperty("app-record.key")).isEqualTo(NEW_KEY);
	}

	@Test
	void refreshWhenSpringCloudReloadsTheEnvironmentKeepsEveryValueServedMasked() {
		SecretFiles.write(this.secrets, "crypto_key", OLD_KEY);
		start();
		SecretFiles.write(this.secrets, "crypto_key", NEW_KEY);
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.context.getBean(Changes.class).seen.isEmpty());
		// /actuator/refresh: Spring Cloud runs the post-processors on a copy of the environment
		// and puts the secrets source it made there in place of the one in use
		this.context.getBean(ContextRefresher.class).refreshEnvironment();
		MountedSecrets secrets = this.context.getBean(MountedSecrets.class);
		assertThat(this.context.getBean(AppRecord.class).key()).isEqualTo(OLD_KEY);
		assertThat(secrets.isSecretValue(OLD_KEY)).as("a value served before the refresh").isTrue();
		assertThat(secrets.isSecretValue(NEW_KEY)).isTrue();
		assertThat(ServedSecrets.in(this.context.getEnvironment()).shows(OLD_KEY)).isTrue();
		assertThat(secrets.mask("key=" + OLD_KEY)).isEqualTo("key=******");
	}

	@Test
	void refreshWhenItReadsAnotherFolderMasksThatFoldersValuesInTheLog(CapturedOutput output) {
		SecretFiles.write(this.secrets, "crypto_key", OLD_KEY);
		SecretFiles.write(this.other, "crypto_key", OTHER_KEY);
		SpringApplication application = TestApplications.application(CloudApplication.class,
				WebApplicationType.NONE, Map.of());
		// secrets.dir set where Spring Cloud does not look when it refreshes: the refresh
		// reads the folder the command line names instead
		application.addListeners(new FolderSetFirst(this.secrets));
		this.context = application.run("--secrets.dir=" + this.other, "--app.key=${secrets.file.crypto_key}");
		assertThat(this.context.getEnvironment().getProperty("secrets.file.crypto_key")).isEqualTo(OLD_KEY);
		this.context.getBean(ContextRefresher.class).refreshEnvironment();
		String served = this.context.getEnvironment().getProperty("secrets.file.crypto_key");
		assertThat(served).isEqualTo(OTHER_KEY);
		LogFactory.getLog(SpringCloudRefreshTests.class).warn("served after the refresh: " + served);
		assertThat(output).contains("served after the refresh: ******").doesNotContain(OTHER_KEY);
	}

	@Test
	void autoConfigurationWhenSpringCloudPresentAddsPublisherBehindTheReloader() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(SecretsReloader.class)
			.hasSingleBean(EnvironmentChangePublisher.class));
	}

	@Test
	void autoConfigurationWhenSpringCloudAbsentChangesNothing() {
		this.runner.withClassLoader(new FilteredClassLoader(EnvironmentChangeEvent.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(SecretsReloader.class)
				.doesNotHaveBean(EnvironmentChangePublisher.class));
	}

	@Test
	void autoConfigurationWhenReloadOffAddsNoPublisher() {
		this.runner.withPropertyValues("secrets.reload.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EnvironmentChangePublisher.class));
	}

	private void start() {
		this.context = TestApplications.application(CloudApplication.class, WebApplicationType.NONE, Map.of())
			.run("--secrets.dir=" + this.secrets, "--secrets.reload.enabled=true",
					"--secrets.reload.quiet-period=200ms", "--secrets.reload.poll-interval=100ms",
					"--app.key=${secrets.file.crypto_key}", "--app-record.key=${secrets.file.crypto_key}");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ MountedSecretsAutoConfiguration.class, MountedSecretsReloadAutoConfiguration.class,
			MountedSecretsSpringCloudAutoConfiguration.class, ConfigurationPropertiesRebinderAutoConfiguration.class,
			RefreshAutoConfiguration.class })
	@EnableConfigurationProperties({ AppProperties.class, AppRecord.class })
	static class CloudApplication {

		@Bean
		Changes changes(AppProperties app) {
			return new Changes(app);
		}

	}

	/**
	 * What a user's listener of the rotation sees, and the events Spring Cloud got.
	 */
	static class Changes implements ApplicationListener<ApplicationEvent> {

		final List<String> seen = new CopyOnWriteArrayList<>();

		final List<EnvironmentChangeEvent> environmentChanges = new CopyOnWriteArrayList<>();

		private final AppProperties app;

		Changes(AppProperties app) {
			this.app = app;
		}

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof SecretsRotatedEvent) {
				this.seen.add(this.app.getKey());
			}
			else if (event instanceof EnvironmentChangeEvent change) {
				this.environmentChanges.add(change);
			}
		}

	}

	/** Sets secrets.dir in a property source of its own, first, before the starter reads it. */
	static class FolderSetFirst implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

		private final Path dir;

		FolderSetFirst(Path dir) {
			this.dir = dir;
		}

		@Override
		public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
			event.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("test-folder", Map.of("secrets.dir", this.dir.toString())));
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

	@ConfigurationProperties("app")
	static class AppProperties {

		private String key;

		public String getKey() {
			return this.key;
		}

		public void setKey(String key) {
			this.key = key;
		}

	}

	@ConfigurationProperties("app-record")
	record AppRecord(String key) {

	}

}
