package dev.tokenauthority.authority.grant;

/** A grant as administrators list it: with its user's email. */
public record GrantListItem(Grant grant, String userEmail) {
}
