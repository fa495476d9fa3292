package dev.mountedsecrets;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secret contents are served exactly as written, through {@code Environment.getProperty},
 * {@code @Value}, {@code @ConfigurationProperties} and a property that refers to them, for the
 * folder and for {@code X_FILE}: no placeholder in a file is resolved, none pulls in another
 * secret, and backslashes stay.
 */
class VerbatimValueTests {

	private static final String HOME = "Lit${HOME}eral";

	private static final String OTHER = "x${secrets.file.crypto_key}y";

	private static final String BACKSLASH = "a\\${HOME}b\\\\${x}c\\";

	private static final String BRACES = "}${{a${b}$${";

	private static final String CRYPTO_KEY = "Verbatim-Crypto-Key-0f4c1a9e7b2d5e8c";

	@TempDir
	Path secrets;

	@TempDir
	Path elsewhere;

	@Test
	void readWhenFilesHoldPlaceholdersServesThemVerbatimEverywhere() {
		SecretFiles.write(this.secrets, "crypto_key", CRYPTO_KEY);
		SecretFiles.write(this.secrets, "home", HOME);
		SecretFiles.write(this.secrets, "other", OTHER);
		SecretFiles.write(this.secrets, "backslash", BACKSLASH);
		SecretFiles.write(this.secrets, "braces", BRACES);
		Path variableFile = SecretFiles.write(this.elsewhere, "verbatim_variable", HOME);
		try (ConfigurableApplicationContext context = TestApplications
			.application(Consumers.class, WebApplicationType.NONE, Map.of("APP_VARIABLE_FILE", variableFile.toString()))
			.run("--secrets.dir=" + this.secrets, "--app.home=${secrets.file.home}", "--app.other=${secrets.file.other}",
					"--app.backslash=${secrets.file.backslash}", "--app.braces=${secrets.file.braces}",
					"--app.wrapped=[${secrets.file.home}]")) {
			Environment environment = context.getEnvironment();
			assertThat(environment.getProperty("secrets.file.home")).isEqualTo(HOME);
			assertThat(environment.getProperty("secrets.file.other")).isEqualTo(OTHER);
			assertThat(environment.getProperty("secrets.file.backslash")).isEqualTo(BACKSLASH);
			assertThat(environment.getProperty("secrets.file.braces")).isEqualTo(BRACES);
			assertThat(environment.getProperty("app.variable")).isEqualTo(HOME);
			assertThat(environment.getProperty("app.wrapped")).isEqualTo("[" + HOME + "]");
			Settings settings = context.getBean(Settings.class);
			assertThat(settings).isEqualTo(new Settings(HOME, OTHER, BACKSLASH, BRACES, "[" + HOME + "]", HOME));
			assertThat(context.getBean(Injected.class).values()).containsExactly(HOME, OTHER, BACKSLASH, HOME);
			MountedSecrets mounted = context.getBean(MountedSecrets.class);
			assertThat(mounted.inUse().get("home").value()).as("own consumers read the raw content").isEqualTo(HOME);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(Settings.class)
	@org.springframework.boot.autoconfigure.ImportAutoConfiguration(
			dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration.class)
	static class Consumers {

		@Bean
		Injected injected(@Value("${secrets.file.home}") String home, @Value("${secrets.file.other}") String other,
				@Value("${secrets.file.backslash}") String backslash, @Value("${app.variable}") String variable) {
			return new Injected(new String[] { home, other, backslash, variable });
		}

	}

	record Injected(String[] values) {

	}

	@ConfigurationProperties("app")
	record Settings(String home, String other, String backslash, String braces, String wrapped, String variable) {

	}

}
