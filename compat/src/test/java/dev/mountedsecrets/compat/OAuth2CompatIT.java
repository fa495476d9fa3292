package dev.mountedsecrets.compat;

import java.nio.file.Path;
import java.time.Duration;

import dev.mountedsecrets.SecretFiles;
import dev.mountedsecrets.reload.SecretsReloader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Boot's OAuth2 client on a real authorization server (Spring Authorization Server): the
 * client secret from a file gets a token, a wrong one is refused (401), and a
 * rotated file is used for the next token without a restart.
 */
@ExtendWith(OutputCaptureExtension.class)
class OAuth2CompatIT {

	private static final String WRONG_SECRET = "Compat-Wrong-OAuth-9b14f2";

	@TempDir
	Path secrets;

	@Test
	void authorizeWhenSecretRightObtainsToken(CapturedOutput output) {
		SecretFiles.write(this.secrets, "orders_client_secret", Servers.CLIENT_SECRET);
		try (ConfigurableApplicationContext context = run()) {
			OAuth2AuthorizedClient client = authorize(context);
			assertThat(client.getAccessToken().getTokenValue()).isNotBlank();
			assertThat(client.getAccessToken().getScopes()).containsExactly("orders.read");
		}
		assertThat(output.getAll()).doesNotContain(Servers.CLIENT_SECRET);
	}

	@Test
	void authorizeWhenSecretWrongGetsInvalidClient(CapturedOutput output) {
		SecretFiles.write(this.secrets, "orders_client_secret", WRONG_SECRET);
		try (ConfigurableApplicationContext context = run()) {
			assertThatExceptionOfType(OAuth2AuthorizationException.class).isThrownBy(() -> authorize(context))
				// Spring Security 6.5 and 7 word it differently; both carry the server's 401.
				.withMessageContaining("401")
				.satisfies((ex) -> assertThat(ex.toString()).doesNotContain(WRONG_SECRET));
		}
		assertThat(output.getAll()).doesNotContain(WRONG_SECRET).doesNotContain(Servers.CLIENT_SECRET);
	}

	@Test
	void authorizeWhenSecretRotatedUsesNewSecretWithoutRestart(CapturedOutput output) {
		SecretFiles.write(this.secrets, "orders_client_secret", WRONG_SECRET);
		try (ConfigurableApplicationContext context = run("--secrets.reload.enabled=true",
				"--secrets.reload.quiet-period=200ms", "--secrets.reload.poll-interval=100ms")) {
			assertThatExceptionOfType(OAuth2AuthorizationException.class).isThrownBy(() -> authorize(context));
			SecretFiles.write(this.secrets, "orders_client_secret", Servers.CLIENT_SECRET);
			SecretsReloader reloader = context.getBean(SecretsReloader.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> reloader.rotations() == 1);
			assertThat(authorize(context).getAccessToken().getTokenValue()).isNotBlank();
		}
		assertThat(output.getAll()).doesNotContain(WRONG_SECRET).doesNotContain(Servers.CLIENT_SECRET);
	}

	private ConfigurableApplicationContext run(String... extra) {
		String registration = "spring.security.oauth2.client.registration.orders.";
		String[] args = { CompatApps.EXCLUDE_DATABASE_AND_REDIS, "--" + registration + "client-id=" + Servers.CLIENT_ID,
				"--secrets.mappings.orders_client_secret=" + registration + "client-secret",
				"--" + registration + "authorization-grant-type=client_credentials",
				"--" + registration + "client-authentication-method=client_secret_basic",
				"--" + registration + "scope=orders.read",
				"--spring.security.oauth2.client.provider.orders.token-uri=" + Servers.tokenUri() };
		String[] all = new String[args.length + extra.length];
		System.arraycopy(args, 0, all, 0, args.length);
		System.arraycopy(extra, 0, all, args.length, extra.length);
		return CompatApps.run(this.secrets, all);
	}

	private static OAuth2AuthorizedClient authorize(ConfigurableApplicationContext context) {
		return new AuthorizedClientServiceOAuth2AuthorizedClientManager(context.getBean(ClientRegistrationRepository.class),
				context.getBean(OAuth2AuthorizedClientService.class))
			.authorize(OAuth2AuthorizeRequest.withClientRegistrationId("orders").principal("orders-job").build());
	}

}
