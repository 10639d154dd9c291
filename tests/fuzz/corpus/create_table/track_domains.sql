track_domains
CREATE TABLE `track_domains` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `uuid` varchar(255) DEFAULT NULL,
  `server_id` int(11) DEFAULT NULL,
  `domain_id` int(11) DEFAULT NULL,
  `name` varchar(255) DEFAULT NULL,
  `dns_checked_at` datetime DEFAULT NULL,
  `dns_status` varchar(255) DEFAULT NULL,
  `dns_error` varchar(255) DEFAULT NULL,
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  `ssl_enabled` tinyint(1) DEFAULT 1,
  `track_clicks` tinyint(1) DEFAULT 1,
  `track_loads` tinyint(1) DEFAULT 1,
  `excluded_click_domains` text DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
