-- Admin tokens carry one scope per group of admin permissions (admin:read, admin:write, admin:users, admin:clients,
-- admin:settings, admin:keys) instead of the single 'admin' scope the console's client had: an admin call needs its
-- scope in the token as well as its permission in the user's roles. The console's client gets the new set; its old
-- sessions carry none of it, so they stop opening the admin API and their users sign in again.
UPDATE clients
SET scopes = 'admin:read admin:write admin:users admin:clients admin:settings admin:keys'
WHERE client_id = 'admin-console' AND scopes = 'admin';
