package dev.mountedsecrets;

import java.nio.file.Path;
import java.util.Map;

import dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Spring Data Redis against a real Redis server with {@code requirepass} and an ACL user,
 * the password coming from {@code redis_password}.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisIT {

	private static final String DEFAULT_PASSWORD = "Redis-Default-6a0f3c9d21";

	private static final String ACL_PASSWORD = "Redis-Acl-e4b71c08aa";

	private static final String WRONG_PASSWORD = "Redis-Wrong-19dd2e7b";

	private static RedisTestServer redis;

	@TempDir
	Path secrets;

	@BeforeAll
	static void startRedis() throws Exception {
		redis = RedisTestServer.start(DEFAULT_PASSWORD, "appuser", ACL_PASSWORD);
	}

	@AfterAll
	static void stopRedis() throws Exception {
		redis.close();
	}

	@Test
	void templateWhenPasswordRightRoundTripsValue(CapturedOutput output) {
		SecretFiles.write(this.secrets, "redis_password", DEFAULT_PASSWORD);
		try (ConfigurableApplicationContext context = run()) {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			template.opsForValue().set("greeting", "hello");
			assertThat(template.opsForValue().get("greeting")).isEqualTo("hello");
		}
		assertNoSecretIn(output);
	}

	@Test
	void templateWhenAclUserAndPasswordRightRoundTripsValue(CapturedOutput output) {
		SecretFiles.write(this.secrets, "redis_password", ACL_PASSWORD);
		try (ConfigurableApplicationContext context = run("--spring.data.redis.username=appuser")) {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			template.opsForValue().set("acl", "ok");
			assertThat(template.opsForValue().get("acl")).isEqualTo("ok");
			assertThat(template.execute((org.springframework.data.redis.core.RedisCallback<String>) (connection) -> {
				Object who = connection.execute("ACL", "WHOAMI".getBytes());
				return new String((byte[]) who);
			})).isEqualTo("appuser");
		}
		assertNoSecretIn(output);
	}

	@Test
	void templateWhenPasswordWrongFailsWithWrongpass(CapturedOutput output) {
		SecretFiles.write(this.secrets, "redis_password", WRONG_PASSWORD);
		try (ConfigurableApplicationContext context = run()) {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			Throwable failure = catchThrowable(() -> template.opsForValue().get("greeting"));
			assertThat(failure).hasStackTraceContaining("WRONGPASS");
			assertThat(failure).hasStackTraceContaining("invalid username-password pair");
			assertThat(failure.toString()).doesNotContain(WRONG_PASSWORD);
		}
		assertNoSecretIn(output);
		assertThat(output.getAll()).doesNotContain(WRONG_PASSWORD);
	}

	@Test
	void templateWhenAclPasswordWrongFailsWithWrongpass(CapturedOutput output) {
		SecretFiles.write(this.secrets, "redis_password", DEFAULT_PASSWORD);
		try (ConfigurableApplicationContext context = run("--spring.data.redis.username=appuser")) {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			assertThat(catchThrowable(() -> template.opsForValue().get("acl"))).hasStackTraceContaining("WRONGPASS");
		}
		assertNoSecretIn(output);
	}

	private ConfigurableApplicationContext run(String... args) {
		String[] all = new String[args.length + 5];
		all[0] = "--secrets.dir=" + this.secrets;
		all[1] = "--spring.data.redis.host=127.0.0.1";
		all[2] = "--spring.data.redis.port=" + redis.port();
		all[3] = "--spring.data.redis.timeout=2s";
		all[4] = "--logging.level.root=TRACE";
		System.arraycopy(args, 0, all, 5, args.length);
		return TestApplications.application(RedisApplication.class, WebApplicationType.NONE, Map.of()).run(all);
	}

	private static void assertNoSecretIn(CapturedOutput output) {
		assertThat(output.getAll()).contains(" TRACE ").doesNotContain(DEFAULT_PASSWORD).doesNotContain(ACL_PASSWORD);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, MountedSecretsAutoConfiguration.class })
	static class RedisApplication {

	}

}
