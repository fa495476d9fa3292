package dev.mountedsecrets.compat;

import java.nio.file.Path;

import dev.mountedsecrets.SecretFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Boot's Redis client on a real Redis that requires a password: the one from
 * {@code redis_password} round-trips a value, a wrong one gets {@code WRONGPASS}.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisCompatIT {

	@TempDir
	Path secrets;

	@Test
	void setWhenPasswordRightRoundTrips(CapturedOutput output) throws Exception {
		SecretFiles.write(this.secrets, "redis_password", Servers.REDIS_PASSWORD);
		try (ConfigurableApplicationContext context = run()) {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			template.opsForValue().set("compat", "round-trip");
			assertThat(template.opsForValue().get("compat")).isEqualTo("round-trip");
		}
		assertThat(output.getAll()).doesNotContain(Servers.REDIS_PASSWORD);
	}

	@Test
	void setWhenPasswordWrongFailsWithWrongpass(CapturedOutput output) throws Exception {
		String wrong = "Compat-Wrong-Redis-0d5b8e";
		SecretFiles.write(this.secrets, "redis_password", wrong);
		try (ConfigurableApplicationContext context = run()) {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			Throwable failure = catchThrowable(() -> template.opsForValue().set("compat", "refused"));
			assertThat(failure).hasStackTraceContaining("WRONGPASS");
			assertThat(failure.toString()).doesNotContain(wrong);
		}
		assertThat(output.getAll()).doesNotContain(wrong).doesNotContain(Servers.REDIS_PASSWORD);
	}

	private ConfigurableApplicationContext run() throws Exception {
		return CompatApps.run(this.secrets, CompatApps.EXCLUDE_DATABASE, "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + Servers.redis().port(), "--spring.data.redis.timeout=10s");
	}

}
