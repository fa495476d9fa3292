package dev.mountedsecrets.sample.web;

import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Pages about the signed-in person: home (who I am, my tenant), an API token, and the page
 * after sign-out. Browsers asking for HTML get these; other clients keep getting the JSON of
 * {@link TokenController} at the same addresses.
 */
@Controller
class AccountPages {

	private final TokenController tokens;

	private final Roles roles;

	AccountPages(TokenController tokens, Roles roles) {
		this.tokens = tokens;
		this.roles = roles;
	}

	@GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
	String home(@AuthenticationPrincipal OAuth2User user, Model model) {
		model.addAttribute("roles", this.roles.of(user.getName()));
		return "home";
	}

	@GetMapping(path = "/token", produces = MediaType.TEXT_HTML_VALUE)
	String token(@AuthenticationPrincipal OAuth2User user, Model model) {
		model.addAttribute("token", this.tokens.issue(user));
		String base = ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
		model.addAttribute("example", "TOKEN=<the token above>\n" + "curl -H \"Authorization: Bearer $TOKEN\" " + base
				+ "/api/notes\n" + "curl -X POST -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' "
				+ "-d '{\"body\":\"hello\"}' " + base + "/api/notes");
		return "token";
	}

	@GetMapping("/signed-out")
	String signedOut() {
		return "signed-out";
	}

}
