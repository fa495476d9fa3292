package dev.mountedsecrets.compat.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A small application that uses the starter the way a service does, with only APIs that
 * every supported Boot generation shares: a DataSource, Redis, mail, an OAuth2 client and
 * the actuator, all configured by Boot from properties that secret files feed.
 */
@SpringBootApplication
public class CompatApplication {

	public static void main(String[] args) {
		SpringApplication.run(CompatApplication.class, args);
	}

	/** Open for the tests: what is checked is what the starter exposes, not access rules. */
	@Bean
	@ConditionalOnWebApplication(type = Type.SERVLET)
	SecurityFilterChain openFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
		return http.build();
	}

}
