package dev.mountedsecrets.compat;

import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import javax.management.ObjectName;

import dev.mountedsecrets.SecretFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator over HTTP: the {@code secrets} endpoint, the {@code secrets} health
 * indicator, masking in {@code /actuator/env} even with {@code show-values=always}, and the
 * metrics. No response and no log line holds a value. Every endpoint's result is masked as an
 * object, through the generation's own Jackson (2 on Boot 3.5, 3 on Boot 4), over HTTP under
 * any path spelling and over JMX.
 */
@ExtendWith(OutputCaptureExtension.class)
class ActuatorCompatIT {

	private static final String REDIS_SECRET = "Compat-Actuator-Redis-2b97e4d1";

	private static final String NAME_SECRET = "Compat-Jmx-Name-Secret-6d2f91";

	private static final String PEM_SECRET = "-----BEGIN KEY-----\nCompat\tKey-\u00e9\u79d8-\"q\"\\-5c21e0\n-----END KEY-----";

	@TempDir
	Path secrets;

	@Test
	void infoWhenSecretsShownMasksThemOverEveryPathSpellingAndJmx() throws Exception {
		SecretFiles.write(this.secrets, "pem_key", PEM_SECRET);
		SecretFiles.write(this.secrets, "name_key", NAME_SECRET);
		try (ConfigurableApplicationContext context = CompatApps.run(this.secrets, CompatApps.EXCLUDE_DATABASE_AND_REDIS,
				"--management.endpoints.web.exposure.include=info", "--management.info.env.enabled=true",
				"--info.key=${secrets.file.pem_key}", "--info.url=https://u:${secrets.file.pem_key}@host",
				"--info.ordinary=visible-info-value", "--spring.jmx.enabled=true",
				"--management.endpoints.jmx.exposure.include=info,env", "--management.endpoints.jmx.domain=compat.masking",
				"--management.endpoint.env.show-values=always", "--leak." + NAME_SECRET + "=named-after-a-secret")) {
			for (String path : new String[] { "/actuator/info", "/%61ctuator/info", "/actuator;x=1/info" }) {
				HttpResponse<String> info = CompatApps.get(context, path);
				// Spring Security's firewall refuses a path parameter (400); nothing else may stop a request
				assertThat(info.statusCode()).as(path).isIn(200, path.contains(";") ? 400 : 200);
				if (info.statusCode() == 200) {
					assertThat(info.body()).as(path)
						.contains("visible-info-value")
						.contains("\"key\":\"******\"")
						.contains("https://u:******@host");
				}
				assertThat(info.body()).doesNotContain("Compat\\tKey").doesNotContain("Compat\tKey");
			}
			Object jmx = ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("compat.masking:type=Endpoint,name=Info"), "info", new Object[0], new String[0]);
			assertThat(String.valueOf(jmx)).contains("visible-info-value")
				.contains("https://u:******@host")
				.doesNotContain("Compat\tKey");
			// a body Boot writes with the endpoints' mapper, masked as serialized, over JMX
			Object env = ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("compat.masking:type=Endpoint,name=Env"), "environment", new Object[] { null },
						new String[] { String.class.getName() });
			assertThat(String.valueOf(env)).contains("leak.******")
				.contains("named-after-a-secret")
				.doesNotContain(NAME_SECRET)
				.doesNotContain("Compat\tKey");
		}
	}

	@Test
	void bodyWhenJmxMapperReadsFieldsTheEndpointsMapperDoesNotStillShowsNoSecret() throws Exception {
		SecretFiles.write(this.secrets, "name_key", NAME_SECRET);
		try (ConfigurableApplicationContext context = CompatApps.run(this.secrets, CompatApps.EXCLUDE_DATABASE_AND_REDIS,
				"--compat.hidden-field-endpoint=true", "--spring.jackson.visibility.field=any",
				"--management.endpoints.web.exposure.include=hiddenfield", "--spring.jmx.enabled=true",
				"--management.endpoints.jmx.exposure.include=hiddenfield", "--management.endpoints.jmx.domain=compat.hidden")) {
			HttpResponse<String> http = CompatApps.get(context, "/actuator/hiddenfield");
			assertThat(http.statusCode()).isEqualTo(200);
			assertThat(http.body()).contains("visible-hidden-field-body").doesNotContain(NAME_SECRET);
			Object jmx = ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("compat.hidden:type=Endpoint,name=Hiddenfield"), "read", new Object[0],
						new String[0]);
			assertThat(String.valueOf(jmx)).contains("visible-hidden-field-body").doesNotContain(NAME_SECRET);
		}
	}

	@Test
	void getWhenSecretsLoadedShowsFilesHealthAndMasksValues(CapturedOutput output) throws Exception {
		SecretFiles.write(this.secrets, "redis_password", REDIS_SECRET);
		try (ConfigurableApplicationContext context = CompatApps.run(this.secrets, CompatApps.EXCLUDE_DATABASE_AND_REDIS,
				"--management.endpoints.web.exposure.include=health,secrets,env,metrics",
				"--management.endpoint.health.show-details=always", "--management.endpoint.env.show-values=always",
				"--leak." + REDIS_SECRET + "=named-after-a-secret")) {
			HttpResponse<String> endpoint = CompatApps.get(context, "/actuator/secrets");
			assertThat(endpoint.statusCode()).isEqualTo(200);
			assertThat(endpoint.body()).contains("redis_password").contains("spring.data.redis.password");

			HttpResponse<String> health = CompatApps.get(context, "/actuator/health/secrets");
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"secrets\":1");

			HttpResponse<String> env = CompatApps.get(context, "/actuator/env/spring.data.redis.password");
			assertThat(env.statusCode()).isEqualTo(200);
			assertThat(env.body()).contains("******").contains("redis_password");

			// a secret in a property's name: the endpoint's body, checked as written, is masked
			HttpResponse<String> wholeEnv = CompatApps.get(context, "/actuator/env");
			assertThat(wholeEnv.statusCode()).isEqualTo(200);
			assertThat(wholeEnv.body()).contains("\"leak.******\"").contains("named-after-a-secret");

			HttpResponse<String> metric = CompatApps.get(context, "/actuator/metrics/secrets.loaded");
			assertThat(metric.statusCode()).isEqualTo(200);
			assertThat(metric.body()).contains("\"value\":1.0");

			SecretFiles.write(this.secrets, "redis_password", "");
			HttpResponse<String> down = CompatApps.get(context, "/actuator/health/secrets");
			assertThat(down.statusCode()).isEqualTo(503);
			assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("redis_password");

			for (HttpResponse<String> response : new HttpResponse[] { endpoint, health, env, wholeEnv, metric, down }) {
				assertThat(response.body()).doesNotContain(REDIS_SECRET);
			}
		}
		assertThat(output.getAll()).doesNotContain(REDIS_SECRET);
	}

}
