package dev.mountedsecrets.sample.web;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * After Google sign-in: an API token for the user, whose tenant is the domain of the e-mail;
 * users listed in {@code sample.ops-users} also get the OPS role, for actuator.
 */
@RestController
class TokenController {

	private final TokenIssuer issuer;

	private final Set<String> opsUsers;

	TokenController(TokenIssuer issuer, @Value("${sample.ops-users:}") Set<String> opsUsers) {
		this.issuer = issuer;
		this.opsUsers = opsUsers;
	}

	@GetMapping("/")
	Map<String, String> home(@AuthenticationPrincipal OAuth2User user) {
		return Map.of("signedInAs", user.getName(), "tenant", tenantOf(user), "next", "GET /token for an API token");
	}

	@GetMapping("/token")
	Map<String, String> token(@AuthenticationPrincipal OAuth2User user) {
		List<String> roles = this.opsUsers.contains(user.getName()) ? List.of("USER", "OPS") : List.of("USER");
		return Map.of("token", this.issuer.issue(user.getName(), tenantOf(user), roles), "tenant", tenantOf(user),
				"roles", String.join(",", roles));
	}

	static String tenantOf(OAuth2User user) {
		String email = user.getAttribute("email");
		String identity = (email != null) ? email : user.getName();
		int at = identity.indexOf('@');
		return (at >= 0) ? identity.substring(at + 1) : identity;
	}

}
