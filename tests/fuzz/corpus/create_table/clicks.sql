clicks
CREATE TABLE `clicks` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `message_id` int(11) DEFAULT NULL,
  `link_id` int(11) DEFAULT NULL,
  `ip_address` varchar(255) DEFAULT NULL,
  `country` varchar(255) DEFAULT NULL,
  `city` varchar(255) DEFAULT NULL,
  `user_agent` varchar(255) DEFAULT NULL,
  `timestamp` decimal(18,6) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `on_message_id` (`message_id`) USING BTREE,
  KEY `on_link_id` (`link_id`) USING BTREE
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
