package dev.mountedsecrets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Start-ups that fail because of a secret's value, with every logger at TRACE: the failure
 * analysis names the property, the secret file and the fix and shows {@code ******}; no line
 * of output shows the secret in any form.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailedStartLeakTests {

	private static final String NOT_A_NUMBER = "Pin-Not-A-Number-8812";

	private static final String NOT_A_DURATION = "Ttl-Not-A-Duration-3390";

	private static final String URL_BREAKER = "Redis pass^word {5521} | x";

	private static final String THROWN = "Thrown-By-Bean-Key-61c0ffee";

	@TempDir
	Path secrets;

	@Test
	void startWhenSecretBoundToIntFailsWithMaskedBindAnalysis(CapturedOutput output) {
		SecretFiles.write(this.secrets, "pin_code", NOT_A_NUMBER);
		fail(NumberApplication.class, "--app.pin=${secrets.file.pin_code}");
		assertThat(output.getAll()).contains("Failed to bind properties under 'app.pin'")
			.contains("Value: \"******\"")
			.contains(this.secrets.resolve("pin_code").toString())
			.contains("Check the properties that use");
		LeakForms.assertNoLeak("output", output.getAll(), List.of(NOT_A_NUMBER));
	}

	@ParameterizedTest
	@ValueSource(strings = { "correct horse battery staple 42", "#Xk9pLm2Qw7Rt88", "-0xQw7RtXk9pLm2zz" })
	void startWhenAConverterReshapesTheSecretItFailsOnShowsNoFormOfIt(String value, CapturedOutput output) {
		// NumberUtils removes white space and Integer.decode a hex prefix before quoting it
		SecretFiles.write(this.secrets, "pin_code", value);
		fail(NumberApplication.class, "--app.pin=${secrets.file.pin_code}");
		fail(InjectedNumberApplication.class);
		assertThat(output.getAll()).contains("For input string: \"").contains("app.pin").contains("pin_code");
		LeakForms.assertNoLeak("output", output.getAll(), List.of(value));
	}

	@Test
	void startWhenAnEnumConverterTrimsTheSecretItFailsOnShowsNoFormOfIt(CapturedOutput output) {
		String value = " Padded-Enum-Value-77 ";
		SecretFiles.write(this.secrets, "mode_key", value);
		fail(NumberApplication.class, "--app.pin=1", "--app.mode=${secrets.file.mode_key}");
		assertThat(output.getAll()).contains("app.mode").contains("mode_key");
		LeakForms.assertNoLeak("output", output.getAll(), List.of(value));
	}

	@Test
	void startWhenSecretBoundToDurationFailsWithMaskedBindAnalysis(CapturedOutput output) {
		SecretFiles.write(this.secrets, "ttl_secret", NOT_A_DURATION);
		fail(NumberApplication.class, "--app.pin=1", "--app.ttl=${secrets.file.ttl_secret}");
		assertThat(output.getAll()).contains("app.ttl").contains("******").contains("ttl_secret");
		LeakForms.assertNoLeak("output", output.getAll(), List.of(NOT_A_DURATION));
	}

	@Test
	void startWhenRedisUrlBuiltWithSecretIsInvalidFailsWithMaskedMessage(CapturedOutput output) {
		SecretFiles.write(this.secrets, "redis_password", URL_BREAKER);
		fail(RedisApplication.class, "--spring.data.redis.url=redis://:${secrets.file.redis_password}@localhost:6379");
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("******")
			.contains(this.secrets.resolve("redis_password").toString())
			.contains("spring.data.redis.password");
		LeakForms.assertNoLeak("output", output.getAll(), List.of(URL_BREAKER));
	}

	@Test
	void startWhenBeanThrowsWithSecretInMessageFailsWithMaskedMessage(CapturedOutput output) {
		SecretFiles.write(this.secrets, "crypto_key", THROWN);
		fail(ThrowingApplication.class, "--secrets.min-length.crypto_key=8");
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("cannot use key ******")
			.contains(this.secrets.resolve("crypto_key").toString());
		LeakForms.assertNoLeak("output", output.getAll(), List.of(THROWN));
	}

	private void fail(Class<?> application, String... args) {
		String[] all = new String[args.length + 3];
		all[0] = "--secrets.dir=" + this.secrets;
		all[1] = "--logging.level.root=TRACE";
		all[2] = "--debug";
		System.arraycopy(args, 0, all, 3, args.length);
		assertThatException()
			.isThrownBy(() -> TestApplications.application(application, WebApplicationType.NONE, java.util.Map.of())
				.run(all));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(Numbers.class)
	static class NumberApplication {

	}

	@ConfigurationProperties("app")
	record Numbers(int pin, Duration ttl, java.time.DayOfWeek mode) {

	}

	@Configuration(proxyBeanMethods = false)
	static class InjectedNumberApplication {

		@Bean
		Object pinUser(@Value("${secrets.file.pin_code}") int pin) {
			return pin;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@org.springframework.boot.autoconfigure.ImportAutoConfiguration(
			org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration.class)
	static class RedisApplication {

	}

	@Configuration(proxyBeanMethods = false)
	static class ThrowingApplication {

		@Bean
		Object cipher(@Value("${secrets.file.crypto_key}") String key) {
			throw new IllegalStateException("cannot use key " + key);
		}

	}

}
