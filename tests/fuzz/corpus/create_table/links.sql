links
CREATE TABLE `links` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `message_id` int(11) DEFAULT NULL,
  `token` varchar(255) DEFAULT NULL,
  `hash` varchar(255) DEFAULT NULL,
  `url` text DEFAULT NULL,
  `timestamp` decimal(18,6) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `on_message_id` (`message_id`) USING BTREE,
  KEY `on_token` (`token`(8)) USING BTREE
) ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
