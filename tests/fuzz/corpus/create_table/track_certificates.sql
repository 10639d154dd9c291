track_certificates
CREATE TABLE `track_certificates` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `domain` varchar(255) DEFAULT NULL,
  `certificate` text DEFAULT NULL,
  `intermediaries` text DEFAULT NULL,
  `key` text DEFAULT NULL,
  `expires_at` datetime DEFAULT NULL,
  `renew_after` datetime DEFAULT NULL,
  `verification_path` varchar(255) DEFAULT NULL,
  `verification_string` varchar(255) DEFAULT NULL,
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  KEY `index_track_certificates_on_domain` (`domain`(8))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
