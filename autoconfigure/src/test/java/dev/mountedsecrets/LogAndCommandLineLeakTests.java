package dev.mountedsecrets;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.mountedsecrets.actuate.SecretsSanitizingFunction;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log lines and command lines: a served secret written to any logger at any level comes out
 * as {@code ******}, in the message and in exception messages; loggers that print credentials
 * are capped; debug switches that print them are warned about; command-line overrides of a
 * served property are masked by name.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogAndCommandLineLeakTests {

	private static final String KEY = "Logged-Crypto-Key-3e1f0a7c9b5d2468ace0";

	private static final String OVERRIDE = "Override-Password-d4c3b2a1";

	@TempDir
	Path secrets;

	@Test
	void logWhenMessageOrExceptionHoldsSecretWritesMask(CapturedOutput output) {
		SecretFiles.write(this.secrets, "crypto_key", KEY);
		try (ConfigurableApplicationContext context = run(LoggingApplication.class)) {
			assertThat(output.getAll()).contains("key in use: ******")
				.contains("java.lang.IllegalStateException: cannot use ******")
				.contains("caused by ******".replace("caused by", "Caused by: java.lang.IllegalArgumentException:"));
			LeakForms.assertNoLeak("output", output.getAll(), List.of(KEY));
		}
	}

	@Test
	void startWhenLoggersPrintCredentialsCapsThemAndWarnsAboutMailDebug(CapturedOutput output) {
		SecretFiles.write(this.secrets, "crypto_key", KEY);
		try (ConfigurableApplicationContext context = run(Empty.class,
				"--spring.mail.properties.mail.debug.auth=true")) {
			for (String logger : List.of("io.lettuce.core.protocol.CommandEncoder",
					"org.springframework.web.client.DefaultRestClient", "org.springframework.web.client.RestTemplate",
					"org.apache.hc.client5.http.wire")) {
				assertThat(LogFactory.getLog(logger).isInfoEnabled()).as(logger).isTrue();
				assertThat(LogFactory.getLog(logger).isDebugEnabled()).as(logger).isFalse();
			}
			assertThat(LogFactory.getLog("org.springframework.web.client.Other").isTraceEnabled()).isTrue();
			assertThat(output.getAll()).contains("mail.debug.auth=true makes JavaMail print the SMTP AUTH exchange");
		}
	}

	@Test
	void sanitizeWhenCommandLineSetsServedPropertyMasksIt() {
		SecretFiles.write(this.secrets, "crypto_key", KEY);
		try (ConfigurableApplicationContext context = run(Empty.class,
				"--spring.datasource.password=" + OVERRIDE)) {
			SecretsSanitizingFunction sanitizer = new SecretsSanitizingFunction(context.getBean(MountedSecrets.class));
			MapPropertySource commandLine = new MapPropertySource("commandLineArgs", Map.of());
			assertThat(sanitize(sanitizer, commandLine, "spring.datasource.password", OVERRIDE)).isEqualTo("******");
			assertThat(sanitize(sanitizer, commandLine, "sun.java.command",
					"app.jar --spring.datasource.password=" + OVERRIDE)).isEqualTo("******");
			assertThat(sanitize(sanitizer, commandLine, "JAVA_TOOL_OPTIONS", "-Dspring.mail.password=" + OVERRIDE))
				.isEqualTo("******");
			assertThat(sanitize(sanitizer, commandLine, "sun.java.command", "app.jar --server.port=8080"))
				.isEqualTo("app.jar --server.port=8080");
			assertThat(sanitize(sanitizer, commandLine, "server.port", 8080)).isEqualTo(8080);
		}
	}

	private static Object sanitize(SecretsSanitizingFunction sanitizer, MapPropertySource source, String key,
			Object value) {
		return sanitizer.apply(new SanitizableData(source, key, value)).getValue();
	}

	private ConfigurableApplicationContext run(Class<?> application, String... args) {
		String[] all = new String[args.length + 3];
		all[0] = "--secrets.dir=" + this.secrets;
		all[1] = "--logging.level.root=TRACE";
		all[2] = "--secrets.min-length.crypto_key=8";
		System.arraycopy(args, 0, all, 3, args.length);
		return TestApplications.application(application, WebApplicationType.NONE, Map.of()).run(all);
	}

	@Configuration(proxyBeanMethods = false)
	@org.springframework.boot.autoconfigure.ImportAutoConfiguration(
			dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration.class)
	static class Empty {

	}

	@Configuration(proxyBeanMethods = false)
	static class LoggingApplication {

		private static final Log logger = LogFactory.getLog("dev.mountedsecrets.test.LoggingApplication");

		@Bean
		String loggedKey(@Value("${secrets.file.crypto_key}") String key) {
			logger.info("key in use: " + key);
			logger.warn("failed", new IllegalStateException("cannot use " + key,
					new IllegalArgumentException(key)));
			return "logged";
		}

	}

}
