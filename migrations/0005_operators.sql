-- Platform operators (admins): set by `npm run operator`, never through the API.
ALTER TABLE `users` ADD `is_operator` integer DEFAULT 0 NOT NULL;
