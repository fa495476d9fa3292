package dev.mountedsecrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.core.env.Environment;

/**
 * Loggers and debug switches of the libraries the starter wires that write credentials in
 * clear text: the loggers are capped (kept at INFO unless the application sets their level
 * itself), the switches that cannot be capped from here are warned about.
 */
final class CredentialLoggers {

	/**
	 * Logger levels to apply unless set by the application: Lettuce's encoder dumps AUTH and
	 * HELLO arguments at TRACE; Spring's HTTP clients write request bodies (an OAuth2 token
	 * request with {@code client_secret_post} carries {@code client_secret}) at DEBUG; Apache
	 * HttpClient's wire and header loggers write raw requests, {@code Authorization} included.
	 */
	static final Map<String, Object> CAPS = Map.of("logging.level.io.lettuce.core.protocol.CommandEncoder", "INFO",
			"logging.level.org.springframework.web.client.RestTemplate", "INFO",
			"logging.level.org.springframework.web.client.DefaultRestClient", "INFO",
			"logging.level.org.springframework.web.reactive.function.client.ExchangeFunctions", "INFO",
			"logging.level.org.apache.hc.client5.http.wire", "INFO",
			"logging.level.org.apache.hc.client5.http.headers", "INFO",
			"logging.level.org.apache.http.wire", "INFO", "logging.level.org.apache.http.headers", "INFO");

	private CredentialLoggers() {
	}

	/**
	 * What is switched on that writes credentials where no masking reaches.
	 * @param environment the environment
	 * @return one warning per switch, empty when none is on
	 */
	static List<String> warnings(Environment environment) {
		List<String> warnings = new ArrayList<>();
		if (isTrue(environment, "spring.mail.properties.mail.debug.auth") || isTrue(environment, "mail.debug.auth")) {
			warnings.add("mail.debug.auth=true makes JavaMail print the SMTP AUTH exchange, with the password in"
					+ " Base64, to standard output where no masking applies. Remove"
					+ " spring.mail.properties.mail.debug.auth (and mail.debug) outside of a debugging session.");
		}
		if (isTrue(environment, "spring.mail.properties.mail.debug") || isTrue(environment, "mail.debug")) {
			warnings.add("mail.debug=true makes JavaMail print every SMTP exchange to standard output, where no"
					+ " masking applies. Remove it outside of a debugging session.");
		}
		return warnings;
	}

	private static boolean isTrue(Environment environment, String property) {
		return "true".equalsIgnoreCase(environment.getProperty(property, "").trim());
	}

}
