package dev.mountedsecrets.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.mountedsecrets.FileVariablesPropertySource;
import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.SecretsProperties;
import dev.mountedsecrets.SecretsPropertySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.PropertySourceInfo;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * One jar for every supported Boot generation: each generation finds the post-processor under
 * its own {@code spring.factories} key, it runs once, and a Boot older than 3.5 gets a message.
 * The applications on Boot 3.5.7, 4.0.7 and 4.1.2 themselves run in {@code compat/}.
 */
@ExtendWith(OutputCaptureExtension.class)
class BootGenerationTests {

	private static final String DB_PASSWORD = "db-Password-5e0b7c1d";

	@TempDir
	Path secrets;

	@Test
	void springFactoriesWhenReadRegistersOneAdapterPerGenerationKey() {
		ClassLoader loader = getClass().getClassLoader();
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation(loader)
			.load(EnvironmentPostProcessor.class, SpringFactoriesLoader.ArgumentResolver.of(
					org.springframework.boot.logging.DeferredLogFactory.class, new DeferredLogs())))
			.filteredOn((processor) -> processor.getClass().getPackageName().startsWith("dev.mountedsecrets"))
			.hasExactlyElementsOfTypes(SecretsPostProcessor.class);
		assertThat(SpringFactoriesLoader.loadFactoryNames(org.springframework.boot.env.EnvironmentPostProcessor.class,
				loader))
			.filteredOn((name) -> name.startsWith("dev.mountedsecrets"))
			.containsExactly(Boot3SecretsPostProcessor.class.getName());
	}

	@Test
	void startWhenBoot4ReadsSecretsOnce(CapturedOutput output) throws IOException {
		Files.writeString(this.secrets.resolve("db_password_server"), DB_PASSWORD);
		SpringApplication application = new SpringApplication(Empty.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run("--secrets.dir=" + this.secrets)) {
			assertThat(context.getEnvironment().getProperty("spring.datasource.password")).isEqualTo(DB_PASSWORD);
			assertThat(context.getEnvironment().getPropertySources().stream()
				.filter((source) -> source instanceof SecretsPropertySource)).hasSize(1);
		}
		assertThat(output.getAll().split("Loaded 1 secret file\\(s\\) from ", -1)).hasSize(2);
	}

	@Test
	void startWhenBoot4DeclaresSourcesImmutableBeforeAndAfterRotation() throws IOException {
		Files.writeString(this.secrets.resolve("db_password_server"), DB_PASSWORD);
		Path variableFile = Files.writeString(this.secrets.getParent().resolve("mail-" + this.secrets.getFileName()),
				"mail-Password-77c0e5aa");
		MockEnvironment environment = environment();
		environment.getPropertySources()
			.addLast(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("SPRING_MAIL_PASSWORD_FILE", variableFile.toString())));
		new SecretsPostProcessor(new DeferredLogs()).postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().get(SecretsPropertySource.NAME))
			.isInstanceOfSatisfying(PropertySourceInfo.class, (info) -> assertThat(info.isImmutable()).isTrue());
		assertThat(environment.getPropertySources().get(FileVariablesPropertySource.NAME))
			.isInstanceOfSatisfying(PropertySourceInfo.class, (info) -> assertThat(info.isImmutable()).isTrue());
		Files.writeString(this.secrets.resolve("db_password_server"), DB_PASSWORD + "-next");
		MountedSecrets mounted = new MountedSecrets(environment, new SecretsProperties());
		mounted.properties().setDir(this.secrets);
		assertThat(mounted.rotate(mounted.readFolder()).secrets()).containsExactly("db_password_server");
		assertThat(environment.getProperty("spring.datasource.password")).isEqualTo(DB_PASSWORD + "-next");
		assertThat(environment.getPropertySources().get(SecretsPropertySource.NAME))
			.isInstanceOfSatisfying(PropertySourceInfo.class, (info) -> assertThat(info.isImmutable()).isTrue());
	}

	@Test
	void postProcessWhenBoot4InterfacePresentLeavesItToBoot4Adapter() throws IOException {
		Files.writeString(this.secrets.resolve("db_password_server"), DB_PASSWORD);
		MockEnvironment environment = environment();
		new Boot3SecretsPostProcessor(new DeferredLogs()).postProcessEnvironment(environment,
				new SpringApplication());
		assertThat(environment.getPropertySources().contains(SecretsPropertySource.NAME)).isFalse();
	}

	@Test
	void postProcessWhenOnlyBoot3InterfacePresentReadsSecrets() throws IOException {
		Files.writeString(this.secrets.resolve("db_password_server"), DB_PASSWORD);
		MockEnvironment environment = environment();
		new Boot3SecretsPostProcessor(new DeferredLogs(), new FilteredClassLoader(EnvironmentPostProcessor.class))
			.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.datasource.password")).isEqualTo(DB_PASSWORD);
	}

	@Test
	void postProcessWhenBootOlderThan35FailsNamingSupportedVersions() {
		Boot3SecretsPostProcessor processor = new Boot3SecretsPostProcessor(new DeferredLogs(),
				new FilteredClassLoader(EnvironmentPostProcessor.class, ConditionalOnBooleanProperty.class));
		assertThatExceptionOfType(UnsupportedBootVersionException.class)
			.isThrownBy(() -> processor.postProcessEnvironment(environment(), new SpringApplication()))
			.satisfies((ex) -> {
				FailureAnalysis analysis = new UnsupportedBootVersionFailureAnalyzer().analyze(ex);
				assertThat(analysis.getDescription())
					.isEqualTo("mounted-secrets supports Spring Boot 3.5.x, 4.0.x and 4.1.x; this application runs"
							+ " Spring Boot " + ex.bootVersion() + ".");
				assertThat(analysis.getAction()).startsWith("Upgrade the application to Spring Boot 3.5.x, 4.0.x");
			});
	}

	private MockEnvironment environment() {
		return new MockEnvironment().withProperty("secrets.dir", this.secrets.toString());
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
