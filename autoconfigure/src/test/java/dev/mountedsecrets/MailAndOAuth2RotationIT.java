package dev.mountedsecrets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration;
import dev.mountedsecrets.autoconfigure.MountedSecretsReloadAutoConfiguration;
import dev.mountedsecrets.reload.SecretsReloader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Rotating the SMTP password and the OAuth2 client secret on real servers: the server first,
 * then the file; the next send and the next token request succeed with the new secret, and the
 * servers refuse the old one. Runs at root level TRACE (client_secret_basic and
 * client_secret_post) and searches all output for each secret in clear, Base64, URL-encoded
 * and hex form.
 */
@ExtendWith(OutputCaptureExtension.class)
class MailAndOAuth2RotationIT {

	private static final String MAIL_OLD = "Rot-Mail-Old-7d2c91";

	private static final String MAIL_NEW = "Rot-Mail-New-e0b64a";

	private static final String CLIENT_OLD = "Rot-Client-Old-58a1f3c2";

	private static final String CLIENT_NEW = "Rot-Client-New-0c9e47b6";

	@RegisterExtension
	static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
		.withConfiguration(GreenMailConfiguration.aConfig().withUser("app@example.test", "app", MAIL_OLD));

	private static TestAuthorizationServer authorizationServer;

	@TempDir
	Path secrets;

	@BeforeAll
	static void startAuthorizationServer() {
		authorizationServer = TestAuthorizationServer.start(CLIENT_OLD);
	}

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	@Test
	void rotateMailPasswordNextSendUsesNewPassword(CapturedOutput output) throws Exception {
		SecretFiles.write(this.secrets, "email_password", MAIL_OLD);
		try (ConfigurableApplicationContext context = run(MailApplication.class, "--spring.mail.host=127.0.0.1",
				"--spring.mail.port=" + smtp.getSmtp().getPort(), "--spring.mail.username=app",
				"--spring.mail.properties.mail.smtp.auth=true")) {
			JavaMailSender sender = context.getBean(JavaMailSender.class);
			sender.send(message("before"));
			assertThat(context.getBean(SecretsReloader.class).rotations()).isZero();
			smtp.getUserManager().getUser("app").setPassword(MAIL_NEW);
			SecretFiles.write(this.secrets, "email_password", MAIL_NEW);
			awaitRotation(context);
			sender.send(message("after"));
			assertThat(smtp.getReceivedMessages()).extracting("subject").contains("before", "after");
			JavaMailSenderImpl oldPassword = new JavaMailSenderImpl();
			oldPassword.setHost("127.0.0.1");
			oldPassword.setPort(smtp.getSmtp().getPort());
			oldPassword.setUsername("app");
			oldPassword.setPassword(MAIL_OLD);
			oldPassword.getJavaMailProperties().put("mail.smtp.auth", "true");
			assertThatExceptionOfType(MailAuthenticationException.class)
				.isThrownBy(() -> oldPassword.send(message("old")));
		}
		assertThat(output.getAll()).contains(" TRACE ");
		LeakForms.assertNoLeak("output at TRACE", output.getAll(), List.of(MAIL_OLD, MAIL_NEW));
	}

	@ParameterizedTest
	@ValueSource(strings = { "client_secret_basic", "client_secret_post" })
	void rotateClientSecretNextTokenRequestUsesNewSecret(String method, CapturedOutput output) throws Exception {
		SecretFiles.write(this.secrets, "orders_client_secret", CLIENT_OLD);
		authorizationServer.useClientSecret(CLIENT_OLD);
		String registration = "spring.security.oauth2.client.registration.orders.";
		try (ConfigurableApplicationContext context = run(ClientApplication.class,
				"--secrets.mappings.orders_client_secret=" + registration + "client-secret",
				"--" + registration + "client-id=" + TestAuthorizationServer.CLIENT_ID,
				"--" + registration + "authorization-grant-type=client_credentials",
				"--" + registration + "client-authentication-method=" + method,
				"--" + registration + "scope=orders.read",
				"--spring.security.oauth2.client.provider.orders.token-uri=" + authorizationServer.tokenUri())) {
			assertThat(authorize(context, "job-1")).isNotBlank();
			authorizationServer.useClientSecret(CLIENT_NEW);
			assertThatExceptionOfType(OAuth2AuthorizationException.class).isThrownBy(() -> authorize(context, "job-2"))
				.withMessageContaining("invalid_client");
			assertThat(context.getBean(SecretsReloader.class).rotations()).isZero();
			SecretFiles.write(this.secrets, "orders_client_secret", CLIENT_NEW);
			awaitRotation(context);
			assertThat(authorize(context, "job-3")).isNotBlank();
			assertThat(context.getBean(ClientRegistrationRepository.class).findByRegistrationId("orders"))
				.isNotNull();
		}
		assertThat(output.getAll()).contains(" TRACE ").doesNotContain("Secrets found outside files");
		LeakForms.assertNoLeak("output at TRACE", output.getAll(), List.of(CLIENT_OLD, CLIENT_NEW));
		assertThat(output.getAll()).doesNotContain(base64("orders-client:" + CLIENT_OLD))
			.doesNotContain(base64("orders-client:" + CLIENT_NEW));
	}

	private static String authorize(ConfigurableApplicationContext context, String principal) {
		return context.getBean(AuthorizedClientServiceOAuth2AuthorizedClientManager.class)
			.authorize(OAuth2AuthorizeRequest.withClientRegistrationId("orders").principal(principal).build())
			.getAccessToken()
			.getTokenValue();
	}

	private static void awaitRotation(ConfigurableApplicationContext context) {
		SecretsReloader reloader = context.getBean(SecretsReloader.class);
		await().atMost(Duration.ofSeconds(20)).until(() -> reloader.rotations() >= 1);
		assertThat(reloader.rotations()).isEqualTo(1);
	}

	private ConfigurableApplicationContext run(Class<?> application, String... args) {
		String[] all = new String[args.length + 7];
		all[0] = "--secrets.dir=" + this.secrets;
		all[1] = "--secrets.reload.enabled=true";
		all[2] = "--secrets.reload.quiet-period=200ms";
		all[3] = "--secrets.reload.poll-interval=100ms";
		all[4] = "--logging.level.root=TRACE";
		// The servers share this JVM only for the test, and log what they receive (GreenMail the
		// AUTH exchange, the authorization server's Tomcat the request headers); the
		// application's own loggers stay at TRACE.
		all[5] = "--logging.level.com.icegreen.greenmail=INFO";
		all[6] = "--logging.level.org.apache.coyote.http11=INFO";
		System.arraycopy(args, 0, all, 7, args.length);
		return TestApplications.application(application, WebApplicationType.NONE, Map.of()).run(all);
	}

	private static String base64(String text) {
		return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	private static SimpleMailMessage message(String subject) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom("app@example.test");
		message.setTo("ops@example.test");
		message.setSubject(subject);
		message.setText("rotation");
		return message;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ MailSenderAutoConfiguration.class, MountedSecretsAutoConfiguration.class,
			MountedSecretsReloadAutoConfiguration.class })
	static class MailApplication {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ OAuth2ClientAutoConfiguration.class, MountedSecretsAutoConfiguration.class,
			MountedSecretsReloadAutoConfiguration.class })
	static class ClientApplication {

		@Bean
		AuthorizedClientServiceOAuth2AuthorizedClientManager authorizedClientManager(
				ClientRegistrationRepository registrations, OAuth2AuthorizedClientService clients) {
			return new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, clients);
		}

	}

}
