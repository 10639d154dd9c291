routes
CREATE TABLE `routes` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `uuid` varchar(255) DEFAULT NULL,
  `server_id` int(11) DEFAULT NULL,
  `domain_id` int(11) DEFAULT NULL,
  `endpoint_id` int(11) DEFAULT NULL,
  `endpoint_type` varchar(255) DEFAULT NULL,
  `name` varchar(255) DEFAULT NULL,
  `spam_mode` varchar(255) DEFAULT NULL,
  `created_at` datetime(6) DEFAULT NULL,
  `updated_at` datetime(6) DEFAULT NULL,
  `token` varchar(255) DEFAULT NULL,
  `mode` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `index_routes_on_token` (`token`(6))
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
