package dev.mountedsecrets.reload;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.core.Ordered;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's listeners of a rotation hand it over ahead of the application's listeners, and
 * a component that refuses the new values keeps the ones in use without failing the event: the
 * warning names the failure's type, never its message.
 */
@ExtendWith(OutputCaptureExtension.class)
class RotationHandOverTests {

	private static final String NEW_PASSWORD = "Rotated-Mail-Pass-5c1e7a90";

	private static final String QUOTED = "Quoted-By-Failure-8d2b4f61";

	@Test
	void listenersWhenAnApplicationListenerFailsHandOverFirst() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("rotated", Map.of("spring.mail.password", NEW_PASSWORD)));
		JavaMailSenderImpl mailSender = new JavaMailSenderImpl();
		mailSender.setPassword("previous-password");
		SimpleApplicationEventMulticaster multicaster = new SimpleApplicationEventMulticaster();
		ApplicationListener<SecretsRotatedEvent> failing = (event) -> {
			throw new IllegalStateException("application listener failed");
		};
		multicaster.addApplicationListener(failing);
		multicaster.addApplicationListener(new MailCredentialsUpdater(mailSender, environment));
		SecretsRotatedEvent event = new SecretsRotatedEvent(this, Set.of("email_password"),
				Set.of("spring.mail.password"));
		try {
			multicaster.multicastEvent(event);
		}
		catch (IllegalStateException ex) {
			// the application's listener, after the starter's
		}
		assertThat(mailSender.getPassword()).isEqualTo(NEW_PASSWORD);
		assertThat(new MailCredentialsUpdater(mailSender, environment).getOrder()).isEqualTo(RotationHandOver.ORDER)
			.isLessThan(Ordered.LOWEST_PRECEDENCE);
	}

	@Test
	void refreshWhenRegistrationsCannotBeBuiltKeepsThoseInUseAndWarnsWithoutTheMessage(CapturedOutput output) {
		ClientRegistration google = ClientRegistration.withRegistrationId("google")
			.clientId("client-id")
			.clientSecret("client-secret-in-use")
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
			.authorizationUri("https://accounts.example.com/auth")
			.tokenUri("https://accounts.example.com/token")
			.build();
		RotatingClientRegistrations registrations = new RotatingClientRegistrations(
				new InMemoryClientRegistrationRepository(google), () -> {
					throw new IllegalStateException("client secret " + QUOTED + " is invalid");
				});
		registrations.refresh(new SecretsRotatedEvent(this, Set.of("google_oauth_client_secret"),
				Set.of("spring.security.oauth2.client.registration.google.client-secret")));
		assertThat(registrations.findByRegistrationId("google")).isSameAs(google);
		assertThat(output.getAll()).contains("The rotated secrets [google_oauth_client_secret] could not be handed to"
				+ " the OAuth2 client registrations (java.lang.IllegalStateException)")
			.doesNotContain(QUOTED);
	}

}
