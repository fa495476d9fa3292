package dev.mountedsecrets.sample.web;

import java.util.List;
import java.util.Map;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * After Google sign-in, for machines (JSON): an API token for the user, whose tenant is the
 * domain of the e-mail; users listed in {@code sample.ops-users} also get the OPS role, for
 * actuator. Browsers asking for HTML get the same as pages ({@link AccountPages}).
 */
@RestController
class TokenController {

	private final TokenIssuer issuer;

	private final Roles roles;

	TokenController(TokenIssuer issuer, Roles roles) {
		this.issuer = issuer;
		this.roles = roles;
	}

	@GetMapping("/")
	Map<String, String> home(@AuthenticationPrincipal OAuth2User user) {
		return Map.of("signedInAs", user.getName(), "tenant", tenantOf(user), "next", "GET /token for an API token");
	}

	@GetMapping("/token")
	Map<String, String> token(@AuthenticationPrincipal OAuth2User user) {
		ApiToken token = issue(user);
		return Map.of("token", token.value(), "tenant", token.tenant(), "roles", String.join(",", token.roles()));
	}

	ApiToken issue(OAuth2User user) {
		List<String> roles = this.roles.of(user.getName());
		String tenant = tenantOf(user);
		return new ApiToken(this.issuer.issue(user.getName(), tenant, roles), tenant, roles);
	}

	static String tenantOf(OAuth2User user) {
		String email = user.getAttribute("email");
		String identity = (email != null) ? email : user.getName();
		int at = identity.indexOf('@');
		return (at >= 0) ? identity.substring(at + 1) : identity;
	}

	/**
	 * A freshly issued API token.
	 *
	 * @param value the signed token
	 * @param tenant the tenant it is for
	 * @param roles its roles
	 */
	record ApiToken(String value, String tenant, List<String> roles) {

	}

}
