package dev.mountedsecrets.sample.web;

import java.util.List;
import java.util.Set;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Who gets which role, for browser sessions and API tokens alike: everyone who signed in is a
 * USER; the users listed in {@code sample.ops-users} are also OPS (actuator, dashboard).
 */
@Component
class Roles {

	private final Set<String> opsUsers;

	Roles(@Value("${sample.ops-users:}") Set<String> opsUsers) {
		this.opsUsers = opsUsers;
	}

	List<String> of(String user) {
		return this.opsUsers.contains(user) ? List.of("USER", "OPS") : List.of("USER");
	}

}
