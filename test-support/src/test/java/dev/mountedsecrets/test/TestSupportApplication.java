package dev.mountedsecrets.test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application the tests of the test support start: the starter, and one controller that
 * says which secrets the environment holds (names only).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TestSupportApplication {

	@RestController
	static class SecretNamesController {

		private final Environment environment;

		SecretNamesController(Environment environment) {
			this.environment = environment;
		}

		@GetMapping("/has/{name}")
		boolean has(@org.springframework.web.bind.annotation.PathVariable String name) {
			return this.environment.containsProperty("secrets.file." + name);
		}

	}

}
